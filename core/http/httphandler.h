#pragma once

#include "handlers/httpoptions.h"
#include "handlers/iohandler.h"

namespace tfjs {

// http:// and https://: load() reads a model JSON URL and its shards (httploader.h), save()
// uploads as TF.js's browserHTTPRequest (httpuploader.h). Each call runs its own
// QNetworkAccessManager and event loop on the calling thread, which must be a worker thread
// (a Job): on the application's main thread both fail with ErrorCode::Unsupported.
class HttpHandler final : public IOHandler
{
public:
    HttpHandler(QString url, HttpOptions options);

    [[nodiscard]] Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options = {}) override;
    [[nodiscard]] Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) override;

private:
    QString m_url;
    HttpOptions m_options;
};

} // namespace tfjs
