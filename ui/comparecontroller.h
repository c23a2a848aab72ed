#pragma once

#include "modeltarget.h"

#include <QObject>

class QAction;

namespace tfjs::ui {

class CompareWindow;
class MainWindow;

// The Compare actions of the main window and the Compare windows they open.
// - Compare With… (Model menu) compares the opened model (A) with a model asked for by URL or
//   path; the prompt starts with the browser's selected model when it is another one, so
//   selecting B in the browser then choosing Compare With… compares the two.
// - Compare (the browser's context menu) is enabled when exactly two models are selected in
//   the browser and compares them in the browser's order (the upper one is A).
class CompareController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareController)

public:
    explicit CompareController(MainWindow *window);

    QAction *compareWithAction() const { return m_compareWith; }
    QAction *compareSelectedAction() const { return m_compareSelected; }
    // Opens a Compare window for A and B and starts the diff; returns it (null: invalid).
    CompareWindow *compare(const ModelTarget &a, const ModelTarget &b);
    // What Compare With… prompts with: the browser's selected model unless it is the opened one.
    QString suggestedOther() const;
    void updateActions();

private:
    void askOther();
    void compareSelected();

    MainWindow *m_window;
    QAction *m_compareWith = nullptr;
    QAction *m_compareSelected = nullptr;
};

} // namespace tfjs::ui
