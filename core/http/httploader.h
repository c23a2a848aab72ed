#pragma once

#include "handlers/httpoptions.h"
#include "handlers/iohandler.h"

namespace tfjs {

// Loads http(s)://.../model.json as TF.js's http IOHandler does (spec §4.5): GET the JSON, then
// every manifest path of every group at (weightPathPrefix || the JSON's folder) + path + the
// JSON's query, with the same headers, a few at a time, joined in manifest order. Unlike TF.js
// it checks each answer: a non-2xx status, an HTML page, a short or long body, or shards whose
// total disagrees with the specs are errors naming the URL, the status and a body excerpt.
// With options.weights == false no weight byte is downloaded: shard sizes come from HEAD
// requests (when the server answers them with a Content-Length) and are described as
// segments whose "file" is the shard URL, for display only (reading them fails).
[[nodiscard]] Result<ModelArtifacts> loadModelOverHttp(
    const QString &url, const HttpOptions &http, JobContext &ctx, const LoadOptions &options = {});

} // namespace tfjs
