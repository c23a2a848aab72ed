#pragma once

#include "httpoptions.h"
#include "multipartbody.h"

#include "artifacts.h"

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
// error with the status and a body excerpt; a redirect is followed as fetch() does.
Result<SaveResult> uploadModelOverHttp(
    const QString &url, const ModelArtifacts &artifacts, const HttpOptions &http, JobContext &ctx);

} // namespace tfjs
