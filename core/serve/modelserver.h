#pragma once

#include "base/error.h"
#include "format/artifacts.h"
#include "handlers/handleroptions.h"
#include "serveoptions.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace tfjs {

class HttpDaemon;
class ModelEndpoints;

// The store as a local model server for web pages (issue 14): TF.js's `model.save(url)` and
// `tf.loadLayersModel(url)` against the indexeddb:// store (see router.h for the URLs and
// modelendpoints.h for the rules). Requests are served on the server's own threads; the
// signals are emitted there (connect with a receiver: they arrive queued).
class ModelServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelServer)

public:
    explicit ModelServer(QObject *parent = nullptr);
    ~ModelServer() override;

    // Starts serving (stopping a previous run first); returns the base URL,
    // "http://ADDR:PORT/". Refuses options that validate() refuses.
    [[nodiscard]] Result<QUrl> start(const ServeOptions &options, const HandlerOptions &handlerOptions);
    // Stops listening and waits for the requests in progress; uploads in flight store nothing.
    void stop();
    bool isServing() const { return m_daemon != nullptr; }
    QUrl url() const { return m_url; }

signals:
    void modelStored(const QString &url, const tfjs::ModelArtifactsInfo &info);
    void requestFailed(const QString &what, int status);
    void message(const QString &line); // the HTTP library's own messages

private:
    std::unique_ptr<ModelEndpoints> m_endpoints;
    std::unique_ptr<HttpDaemon> m_daemon;
    QUrl m_url;
};

} // namespace tfjs
