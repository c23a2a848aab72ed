#include "httphandler.h"

#include "httploader.h"
#include "httpuploader.h"

#include <QCoreApplication>
#include <QThread>

namespace tfjs {

namespace {

// Transfers run a local event loop: never on the application's main (GUI) thread.
Result<void> checkWorkerThread()
{
    const QCoreApplication *app = QCoreApplication::instance();
    if (app && QThread::currentThread() == app->thread())
        return fail(ErrorCode::Unsupported,
            QStringLiteral("HTTP transfers run on a worker thread (as a Job), not on the "
                           "application's main thread."));
    return {};
}

} // namespace

HttpHandler::HttpHandler(QString url, HttpOptions options)
    : m_url(std::move(url)), m_options(std::move(options))
{ }

Result<ModelArtifacts> HttpHandler::load(JobContext &ctx, const LoadOptions &options)
{
    if (auto ok = checkWorkerThread(); !ok)
        return fail(ok.error());
    return loadModelOverHttp(m_url, m_options, ctx, options);
}

Result<SaveResult> HttpHandler::save(const ModelArtifacts &artifacts, JobContext &ctx)
{
    if (auto ok = checkWorkerThread(); !ok)
        return fail(ok.error());
    return uploadModelOverHttp(m_url, artifacts, m_options, ctx);
}

} // namespace tfjs
