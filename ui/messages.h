#pragma once

#include "base/error.h"

#include <QString>

#include <functional>

class QWidget;

namespace tfjs::ui {

// Window-modal message boxes shown with open() (no nested event loop); they delete themselves.

// `what` says what failed ("Could not open model.json"); the error's message is the
// explanation and its full text (with path, shard, tensor, offset, URL, status) the details.
void showError(QWidget *parent, const QString &what, const Error &error);
// Asks a yes/no question; `onYes` runs only when the user confirms.
void confirm(QWidget *parent, const QString &title, const QString &text, const QString &yesText,
             std::function<void()> onYes);
// What to do about a model already at the destination of a save or restore.
enum class ReplaceAnswer { Replace, KeepBoth, Cancel };
// Asks Replace / Keep Both / Cancel, as file managers do. `keepBothAs` names where Keep Both
// saves ("indexeddb://a (1)"); empty: no Keep Both button. Escape is Cancel.
void askReplace(QWidget *parent, const QString &text, const QString &informative,
                const QString &keepBothAs, std::function<void(ReplaceAnswer)> onAnswer);
// Asks for one line of text; `onAccepted` gets it when the user confirms a non-empty value.
void askText(QWidget *parent, const QString &title, const QString &label, const QString &initial,
             std::function<void(const QString &)> onAccepted);

// The About box: the application version (as `tfjs-model --version` prints it), the Qt in use
// and the Qt it was built with.
void showAbout(QWidget *parent);

} // namespace tfjs::ui
