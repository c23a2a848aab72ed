#pragma once

#include "handlers/httpoptions.h"
#include "multipartbody.h"

#include "format/artifacts.h"

namespace tfjs {

class JobContext;

// The parts TF.js's browserHTTPRequest save sends (spec §4.4): "model.json" (filename
// model.json, application/json: the browser-layout model JSON with the one-group manifest
// ["./model.weights.bin"]) and, when the model has weight specs, "model.weights.bin"
// (filename model.weights.bin, application/octet-stream: all weight bytes, not read here).
std::vector<MultipartBody::Part> uploadParts(const ModelArtifacts &artifacts);

// Sends the parts as multipart/form-data with http.uploadMethod (POST by default) and
// http.headers, streaming the weights from their source. 2xx: the SaveResult carries the
// status and the response body (its first 16 MiB). Any other status is an ErrorCode::Http
// error with the status and a body excerpt: the answer that came first, also when the server
// refused the upload before reading it. A 307 or 308 redirect is followed with the body; a
// 301, 302 or 303 is an error naming its Location (the model was not delivered).
[[nodiscard]] Result<SaveResult> uploadModelOverHttp(
    const QString &url, const ModelArtifacts &artifacts, const HttpOptions &http, JobContext &ctx);

} // namespace tfjs
