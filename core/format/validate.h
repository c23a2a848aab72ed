#pragma once

#include "artifacts.h"
#include "base/error.h"

#include <vector>

namespace tfjs {

class JobContext;

struct ValidationReport
{
    std::vector<Error> problems; // empty: every tensor decoded
    QStringList notes;           // not errors: tensors holding NaN or Inf, for example
    int tensorsDecoded = 0;
    qint64 bytesRead = 0;

    bool ok() const { return problems.empty(); }
};

// Decodes every tensor of loaded artifacts (as TF.js's decodeWeights would), streaming the
// weight data. Per-tensor decode problems are all collected; a structural problem (data that
// ends inside a tensor, trailing bytes) ends the walk. Cancellation returns cancelledError().
[[nodiscard]] Result<ValidationReport> validateArtifacts(const ModelArtifacts &artifacts, JobContext &ctx);

} // namespace tfjs
