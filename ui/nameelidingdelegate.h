#pragma once

#include <QStyledItemDelegate>

namespace tfjs::ui {

// Draws a cell's text elided with elideName(): long tensor names that share a prefix show
// "…/" and their distinctive part instead of the prefix every row shares.
class NameElidingDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NameElidingDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // The prefix the names of the column share (commonPathPrefix()).
    void setPrefix(const QString &prefix) { m_prefix = prefix; }
    QString prefix() const { return m_prefix; }

    // The text paint() draws for `index` in `option.rect`.
    QString shownText(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;

private:
    QString elided(const QStyleOptionViewItem &prepared) const;
    QString m_prefix;
};

} // namespace tfjs::ui
