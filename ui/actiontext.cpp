#include "actiontext.h"

#include <QAction>

namespace tfjs::ui {

QString quotedName(const QString &name)
{
    constexpr int kMax = 40;
    const QString shown = name.size() <= kMax
        ? name
        : name.left(kMax / 2 - 1) + QStringLiteral("…") + name.right(kMax / 2);
    return QStringLiteral("“%1”").arg(shown);
}

void setToolTipFromText(QAction *action)
{
    const QString tip
        = QString(action->text()).remove(QLatin1Char('&')).remove(QStringLiteral("…"));
    action->setToolTip(action->shortcut().isEmpty()
            ? tip
            : QStringLiteral("%1 (%2)").arg(
                tip, action->shortcut().toString(QKeySequence::NativeText)));
}

void nameModelIn(
    QAction *action, const QString &pattern, const QString &plain, const ModelTarget &model)
{
    action->setEnabled(model.isValid());
    action->setText(model.isValid() ? pattern.arg(quotedName(model.name())) : plain);
    setToolTipFromText(action);
}

} // namespace tfjs::ui
