#pragma once

#include "servecontroller.h"

#include <QWidget>

class QLabel;
class QToolButton;
class QTreeWidget;

namespace tfjs::ui {

// The status bar's part of "Serve Store over HTTP": the toggle, and while serving the URL, a
// button that copies it and one that opens the arrivals window: each model saved through the
// server (name, weight bytes, time) and each refused request (what, HTTP status) as it
// happens, newest first, so a web developer sees why a save from a page failed.
class ServeStatusWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServeStatusWidget)

public:
    // Model: the stored URL, or the refused request ("POST /models/a"); Status: "saved" or the
    // HTTP status; Details: the weight size, or why it was refused.
    enum Column { TimeColumn, ModelColumn, StatusColumn, DetailsColumn, ColumnCount };
    static constexpr int kMaxArrivals = 500;

    explicit ServeStatusWidget(ServeController *controller, QWidget *parent = nullptr);

    QLabel *urlLabel() const { return m_url; }
    QToolButton *copyButton() const { return m_copy; }
    QToolButton *arrivalsButton() const { return m_arrivalsButton; }
    // The arrivals window (a tool window: it stays open while the developer works in the page).
    QWidget *arrivalsWindow() const { return m_window; }
    QTreeWidget *arrivals() const { return m_list; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showState(ServeController::State state);
    // `columns` from ModelColumn on; `ok`: false marks a refusal.
    void addArrival(const QStringList &columns, bool ok);
    void updateArrivalsButton();

    ServeController *m_controller;
    QToolButton *m_toggle = nullptr;
    QLabel *m_url = nullptr;
    QToolButton *m_copy = nullptr;
    QToolButton *m_arrivalsButton = nullptr;
    QWidget *m_window = nullptr;
    QTreeWidget *m_list = nullptr;
    // Since the last Clear.
    int m_saved = 0;
    int m_refused = 0;
};

} // namespace tfjs::ui
