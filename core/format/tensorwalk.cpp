#include "tensorwalk.h"

#include "base/job.h"
#include "weightlayout.h"

namespace tfjs {

Result<void> walkTensors(const std::vector<WeightSpec> &specs, const WeightData &data,
                         const TensorVisitor &visit, JobContext *ctx)
{
    // The layout first: broken data is refused before any tensor is handed out.
    const auto layout = checkWeightLayout(specs, data, {}, ctx);
    if (!layout)
        return fail(layout.error());

    QByteArray pending; // bytes read but not yet handed out
    std::size_t next = 0;
    std::optional<Error> failure;
    // Hands out every tensor that `pending` holds completely.
    const auto drain = [&]() -> bool {
        qint64 used = 0;
        while (next < specs.size() && pending.size() - used >= (*layout)[next].bytes) {
            const TensorExtent &extent = (*layout)[next];
            auto visited = visit(TensorBytes{specs[next], next, extent.offset,
                                             pending.constData() + used, extent.bytes});
            if (!visited) {
                failure = visited.error();
                return false;
            }
            used += extent.bytes;
            ++next;
            if (ctx)
                ctx->addItems();
        }
        pending.remove(0, used);
        return true;
    };
    auto read = data.read(
        [&](const char *bytes, qint64 size) {
            pending.append(bytes, size);
            return drain();
        },
        ctx);
    if (!failure && read)
        drain(); // tensors of no bytes after the last chunk
    if (failure)
        return fail(*failure);
    return read;
}

} // namespace tfjs
