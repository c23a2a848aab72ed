#include "modelserver.h"

#include "httpdaemon.h"
#include "modelendpoints.h"

namespace tfjs {

ModelServer::ModelServer(QObject *parent) : QObject(parent) {}

ModelServer::~ModelServer()
{
    stop();
}

Result<QUrl> ModelServer::start(const ServeOptions &options, const HandlerOptions &handlerOptions)
{
    stop();
    auto valid = options.validate();
    if (!valid)
        return fail(valid.error());
    auto endpoints = std::make_unique<ModelEndpoints>(*valid, handlerOptions);
    endpoints->onStored = [this](const QString &url, const ModelArtifactsInfo &info) {
        emit modelStored(url, info);
    };
    endpoints->onFailed = [this](const QString &what, int status) { emit requestFailed(what, status); };
    auto daemon = HttpDaemon::start(*valid, *endpoints, [this](const QString &line) { emit message(line); });
    if (!daemon)
        return fail(daemon.error());
    endpoints->setPort((*daemon)->port());
    m_endpoints = std::move(endpoints);
    m_daemon = std::move(*daemon);
    QString host = valid->bind.toString();
    if (valid->bind.protocol() == QAbstractSocket::IPv6Protocol)
        host = QStringLiteral("[%1]").arg(host);
    m_url = QUrl(QStringLiteral("http://%1:%2/").arg(host).arg(m_daemon->port()));
    return m_url;
}

void ModelServer::stop()
{
    m_daemon.reset(); // waits for the handler threads
    m_endpoints.reset();
    m_url.clear();
}

} // namespace tfjs
