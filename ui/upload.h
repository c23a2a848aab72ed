#pragma once

#include "headersmodel.h"

#include "format/artifacts.h"
#include "base/error.h"

namespace tfjs {
class JobContext;
}

namespace tfjs::ui {

struct UploadRequest
{
    QString url;
    QString method = QStringLiteral("POST");
    QList<HeaderRow> headers;
};

// What the server answered to an upload (tfjs::UploadReply is the network reply that carries it).
struct UploadAnswer
{
    int status = 0;
    QByteArray body;
    QStringList files;
};

// Uploads the model as TF.js's browserHTTPRequest does, through core's http handler. Runs on a
// worker thread inside a Job. A non-2xx status is an error carrying the status and body.
Result<UploadAnswer> uploadModel(const ModelArtifacts &artifacts, const UploadRequest &request,
                                 JobContext &ctx);

} // namespace tfjs::ui
