#pragma once

#include "base/error.h"
#include "format/artifacts.h"
#include "handlers/handleroptions.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

class QAction;
class QWidget;

namespace tfjs {
class ModelServer;
}

namespace tfjs::ui {

class AppSettings;
class JobTracker;

// The app's "Serve Store over HTTP" (issue 14): core's ModelServer on 127.0.0.1 over the store
// of the window's handler options, on the port remembered in AppSettings. Starting binds at
// once; stopping waits for the requests in flight, so it runs as a Job (the toggle is disabled
// meanwhile) and never blocks the GUI thread. A fixed port that is taken is offered to be
// replaced by a free one (then remembered). The server's signals arrive here queued and are
// passed on on the GUI thread.
class ServeController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServeController)

public:
    enum class State { Off, Serving, Stopping };

    // `window` parents the dialogs (port, port in use).
    ServeController(JobTracker *jobs, AppSettings *settings, QWidget *window);
    ~ServeController() override; // a server still running is stopped here (blocking: teardown only)

    // Checkable "Serve Store over HTTP": on starts, off stops.
    QAction *toggleAction() const { return m_toggle; }
    // "Server Port…": asks for the port (0: a free one each time).
    QAction *portAction() const { return m_portAction; }
    State state() const { return m_state; }
    // The base URL while serving ("http://127.0.0.1:8765/"), else empty.
    QUrl url() const { return m_url; }
    QString storeDir() const;

    // The store and durability of the server's saves. While serving, another store or
    // durability restarts the server on it, on the same port.
    void setHandlerOptions(const HandlerOptions &options);
    void start();
    // Stops in a job; `then` runs on the GUI thread once the port is closed (at once when off).
    void stop(std::function<void()> then = {});
    // Remembers the port; while serving, restarts on it.
    void setPort(quint16 port);

signals:
    void stateChanged(tfjs::ui::ServeController::State state);
    void modelStored(const QString &url, const tfjs::ModelArtifactsInfo &info);
    void requestFailed(const QString &what, int status);
    void message(const QString &line);
    // A start that failed other than on a taken port (that one asks in its own box).
    void failed(const QString &what, const tfjs::Error &error);

private:
    void setState(State state);
    void startOn(quint16 port);
    void restartOn(quint16 port);
    void offerFreePort(quint16 port, const Error &error);
    void askPort();
    void updateToolTip();

    JobTracker *m_jobs;
    AppSettings *m_settings;
    QWidget *m_window;
    QAction *m_toggle = nullptr;
    QAction *m_portAction = nullptr;
    HandlerOptions m_options;
    std::shared_ptr<ModelServer> m_server;
    State m_state = State::Off;
    QUrl m_url;
    std::vector<std::function<void()>> m_afterStop;
};

} // namespace tfjs::ui
