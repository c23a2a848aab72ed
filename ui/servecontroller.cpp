#include "servecontroller.h"

#include "appsettings.h"
#include "jobtracker.h"
#include "messages.h"

#include "serve/modelserver.h"

#include <QAction>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>

namespace tfjs::ui {

ServeController::ServeController(JobTracker *jobs, AppSettings *settings, QWidget *window)
    : QObject(window), m_jobs(jobs), m_settings(settings), m_window(window)
{
    m_toggle = new QAction(tr("Ser&ve Store over HTTP"), this);
    m_toggle->setObjectName(QStringLiteral("serveStore"));
    m_toggle->setIconText(tr("Serve"));
    m_toggle->setCheckable(true);
    connect(m_toggle, &QAction::toggled, this, [this](bool on) {
        if (on)
            start();
        else
            stop();
    });
    m_portAction = new QAction(tr("Server &Port…"), this);
    m_portAction->setObjectName(QStringLiteral("servePort"));
    connect(m_portAction, &QAction::triggered, this, &ServeController::askPort);
    updateToolTip();
}

ServeController::~ServeController() = default;

QString ServeController::storeDir() const
{
    return storeDirectory(m_options);
}

void ServeController::setHandlerOptions(const HandlerOptions &options)
{
    const bool sameStore = storeDirectory(options) == storeDirectory(m_options)
        && options.durability == m_options.durability;
    m_options = options;
    if (m_state == State::Serving && !sameStore)
        restartOn(quint16(m_url.port())); // the port it has, even a free one taken at start
    updateToolTip();
}

void ServeController::start()
{
    if (m_state == State::Stopping) {
        m_afterStop.push_back([this] { start(); });
        return;
    }
    if (m_state == State::Off)
        startOn(m_settings->servePort());
}

void ServeController::startOn(quint16 port)
{
    ServeOptions options; // 127.0.0.1, any page origin, no token: the app serves this computer only
    options.port = port;
    auto server = std::make_shared<ModelServer>();
    connect(server.get(), &ModelServer::modelStored, this, &ServeController::modelStored);
    connect(server.get(), &ModelServer::requestFailed, this, &ServeController::requestFailed);
    auto url = server->start(options, m_options);
    if (!url) {
        setState(State::Off);
        if (port != 0)
            offerFreePort(port, url.error());
        else
            emit failed(tr("Could not serve the store over HTTP"), url.error());
        return;
    }
    // After start: its messages about a failed start (the port taken) are in `url`'s error.
    connect(server.get(), &ModelServer::message, this, &ServeController::message);
    m_server = std::move(server);
    m_url = *url;
    setState(State::Serving);
}

void ServeController::stop(std::function<void()> then)
{
    if (then)
        m_afterStop.push_back(std::move(then));
    if (m_state != State::Serving) {
        if (m_state == State::Off) {
            for (auto &next : std::exchange(m_afterStop, {}))
                next();
        }
        return;
    }
    setState(State::Stopping);
    // The job keeps the server alive until its requests have ended. Whichever copy of the work
    // goes last deletes it, on either thread: a stopped ModelServer receives no events.
    m_jobs->start(
        tr("Stopping the model server at %1").arg(m_url.toString()),
        [server = std::exchange(m_server, {})](JobContext &) -> Result<void> {
            server->stop();
            return {};
        },
        this,
        [this](const std::optional<Error> &) {
            m_url.clear();
            setState(State::Off);
            for (auto &next : std::exchange(m_afterStop, {}))
                next();
        });
}

void ServeController::setPort(quint16 port)
{
    m_settings->setServePort(port);
    updateToolTip();
    if (m_state == State::Serving && quint16(m_url.port()) != port)
        restartOn(port);
}

void ServeController::restartOn(quint16 port)
{
    stop([this, port] {
        if (m_state == State::Off)
            startOn(port);
    });
}

void ServeController::setState(State state)
{
    m_state = state;
    {
        const QSignalBlocker blocker(m_toggle);
        m_toggle->setChecked(state != State::Off);
    }
    m_toggle->setEnabled(state != State::Stopping);
    m_toggle->setText(
        state == State::Stopping ? tr("Stopping the Server…") : tr("Ser&ve Store over HTTP"));
    updateToolTip();
    emit stateChanged(state);
}

void ServeController::offerFreePort(quint16 port, const Error &error)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Port %1 Is Taken").arg(port),
        tr("Could not serve the store on port %1: %2")
            .arg(port)
            .arg(error.detail.isEmpty() ? error.message : error.detail),
        QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("servePortTakenBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(
        tr("Another program (or another copy of this app) may be serving on it. "
           "Serve on a free port instead? It is remembered, so page URLs stay "
           "the same next time."));
    box->setDetailedText(error.toString());
    QPushButton *other = box->addButton(tr("Serve on a Free Port"), QMessageBox::AcceptRole);
    box->setDefaultButton(other);
    connect(box, &QMessageBox::finished, this, [this, box, other] {
        if (box->clickedButton() != other || m_state != State::Off)
            return;
        startOn(0);
        if (m_state == State::Serving)
            m_settings->setServePort(quint16(m_url.port()));
        updateToolTip();
    });
    box->open();
}

void ServeController::askPort()
{
    askText(m_window, tr("Server Port"),
        tr("Port the model server listens on at 127.0.0.1 (1-65535; 0 picks a free one each "
           "time, so page URLs change):"),
        QString::number(m_settings->servePort()), [this](const QString &text) {
            bool ok = false;
            const uint port = text.toUInt(&ok);
            if (!ok || port > 65535) {
                showError(m_window, tr("Could not set the server port"),
                    Error(ErrorCode::InvalidArgument,
                        tr("'%1' is not a port number (0-65535).").arg(text)));
                return;
            }
            setPort(quint16(port));
        });
}

void ServeController::updateToolTip()
{
    const quint16 port = m_settings->servePort();
    const QString where = m_state == State::Serving ? m_url.toString()
        : port == 0                                 ? tr("http://127.0.0.1 on a free port")
                    : QStringLiteral("http://127.0.0.1:%1/").arg(port);
    m_toggle->setToolTip(
        tr("Serves the model store (%1) to web pages at %2: tf.loadLayersModel(URL + "
           "'models/NAME/model.json') loads, model.save(URL + 'models/NAME') saves. "
           "Bound to 127.0.0.1: only this computer can reach it.")
            .arg(storeDir(), where));
    m_portAction->setToolTip(
        tr("The port is %1.").arg(port == 0 ? tr("a free one each time") : QString::number(port)));
}

} // namespace tfjs::ui
