#pragma once

#include "modeltarget.h"

class QAction;

namespace tfjs::ui {

// Texts of the window's actions, which name the model they act on.

// "“name”" for an action's text, shortened in the middle when long.
QString quotedName(const QString &name);
// The action's tooltip: its text without '&' and '…', and its shortcut when it has one.
void setToolTipFromText(QAction *action);
// Names the model in the action's menu text (`pattern` with %1) or restores `plain`; the
// action is enabled only for a valid model.
void nameModelIn(
    QAction *action, const QString &pattern, const QString &plain, const ModelTarget &model);

} // namespace tfjs::ui
