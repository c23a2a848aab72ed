#include "upload.h"

#include "http/httpuploader.h"
#include "base/job.h"

namespace tfjs::ui {

Result<UploadAnswer> uploadModel(const ModelArtifacts &artifacts, const UploadRequest &request,
                                 JobContext &ctx)
{
    HttpOptions http;
    http.uploadMethod = request.method.toUtf8();
    for (const HeaderRow &header : request.headers)
        http.headers.push_back({header.name.toUtf8(), header.value.toUtf8()});
    auto saved = uploadModelOverHttp(request.url, artifacts, http, ctx);
    if (!saved)
        return fail(saved.error());
    return UploadAnswer{saved->httpStatus, saved->responseBody, saved->files};
}

} // namespace tfjs::ui
