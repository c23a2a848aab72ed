#include "nameelidingdelegate.h"

#include "formatting.h"

#include <QApplication>
#include <QStyle>

namespace tfjs::ui {

QString NameElidingDelegate::elided(const QStyleOptionViewItem &prepared) const
{
    const QWidget *widget = prepared.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    // The style draws the text inside this rectangle less a focus margin on each side.
    const QRect text = style->subElementRect(QStyle::SE_ItemViewItemText, &prepared, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    return elideName(prepared.text, m_prefix, prepared.fontMetrics, text.width() - 2 * margin);
}

QString NameElidingDelegate::shownText(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem prepared = option;
    initStyleOption(&prepared, index);
    return elided(prepared);
}

void NameElidingDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem prepared = option;
    initStyleOption(&prepared, index);
    prepared.text = elided(prepared);
    const QWidget *widget = prepared.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &prepared, painter, widget);
}

} // namespace tfjs::ui
