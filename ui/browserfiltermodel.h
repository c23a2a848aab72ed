#pragma once

#include <QSortFilterProxyModel>

namespace tfjs::ui {

// Sorts and filters the browser: sections keep their order and always show (so drops on the
// store work with any filter); entries are sorted by the raw value of the sort column and
// filtered by a case-insensitive substring of their name, format, URL or a group they are in
// (a browser's profile or origin); a group shows while it holds a model shown.
class BrowserFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BrowserFilterModel)

public:
    explicit BrowserFilterModel(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_filter; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_filter;
};

// Case-insensitive comparison with digit runs compared as numbers ("m2" < "M10"); <0, 0, >0.
int naturalCompare(const QString &a, const QString &b);
// A key whose plain comparison orders names as naturalCompare does, short of its last
// tie-break (equal keys: compare the names case-sensitively): folded letters, and each digit
// run as its length then its digits without leading zeros. Empty where no such key is made
// (a name with a non-ASCII character or a digit run of over 108 digits): compare the names.
// Made off the GUI thread, it spares a large listing's first sort most of its time.
QString naturalSortKey(const QString &name);

// Compares two raw cell values for sorting: numbers and dates by value, strings naturally
// (case-insensitive, digits as numbers); an empty/unknown value sorts before any known one.
bool rawLessThan(const QVariant &left, const QVariant &right);

} // namespace tfjs::ui
