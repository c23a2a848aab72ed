#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QStyledItemDelegate>

namespace tfjs::ui {

struct HeaderRow
{
    QString name;
    QString value;
    bool secret = false;
    bool operator==(const HeaderRow &) const = default;
};

// The upload dialog's request headers: name, value, and whether the value is a secret (then
// shown masked unless revealed). Names that look like credentials are marked secret when
// typed, unless the user changed the flag for that row.
class HeadersModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadersModel)

public:
    enum Column { Name, Value, Secret, ColumnCount };
    enum Role { RawValueRole = Qt::UserRole + 1, IsSecretRole };
    // Eight U+2022 BULLETs (a UTF-16 literal: a QLatin1StringView of UTF-8 bytes shows mojibake).
    static constexpr QStringView kMask{u"\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022"};

    explicit HeadersModel(QObject *parent = nullptr);

    void setRows(QList<HeaderRow> rows);
    QList<HeaderRow> rows() const { return m_rows; }
    // Rows with a non-empty name, trimmed.
    QList<HeaderRow> headers() const;
    int addRow(const HeaderRow &row = {});
    void removeRowAt(int row);
    void setRevealed(bool revealed);
    bool revealed() const { return m_revealed; }

    static bool looksSecret(const QString &name);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    QList<HeaderRow> m_rows;
    QList<bool> m_secretTouched; // the user set the Secret flag of this row by hand
    bool m_revealed = false;
};

// Edits secret values in a password field so they are not shown while typed.
class HeaderValueDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeaderValueDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
};

} // namespace tfjs::ui
