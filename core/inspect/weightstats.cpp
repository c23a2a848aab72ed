#include "weightstats.h"

#include "io/bytesource.h"
#include "format/codec.h"
#include "base/job.h"
#include "statskernels.h"
#include "format/weightlayout.h"

#include <QThread>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

namespace tfjs {

namespace {

using stats::Moments;
using stats::Spread;
using stats::SpreadParams;

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

Json number(double value)
{
    return std::isfinite(value) ? Json(value) : Json(nullptr);
}

// How a tensor's bytes become values.
enum class Kind {
    Float32,     // raw float32 (complex64: its float32 components)
    Int32,       // raw int32, as doubles
    FloatTable,  // 1- or 2-byte codes looked up in a float table (uint8/uint16/float16 -> float32)
    DoubleTable, // 1- or 2-byte codes looked up in a double table (bool, quantized int32)
    String,      // no numeric values
};

// A contiguous run of one tensor's values, the unit a worker takes.
struct Item
{
    qint64 offset = 0; // bytes, in the weight data
    qint64 bytes = 0;
    std::int64_t values = 0;
    Moments moments;
    bool hasNonFinite = false;
    stats::CompensatedSum m2;
    ByteSource::View held; // kept between the passes when the tensor is held
};

struct Plan
{
    std::size_t index = 0;
    Kind kind = Kind::Float32;
    int codeWidth = 0; // table kinds: bytes per code
    std::vector<float> floatTable;
    std::vector<double> doubleTable;
    TensorExtent layout;
    std::int64_t values = 0;
    std::vector<Item> items;
    bool hold = false;

    // Scheduling state (guarded by the engine's mutex).
    std::size_t nextPass1 = 0;
    std::size_t donePass1 = 0;
    std::size_t nextPass2 = 0;
    std::size_t donePass2 = 0;
    bool pass2Ready = false;
    SpreadParams params;
    // Results.
    Moments moments;
    stats::CompensatedSum m2;
    bool constant = false; // every finite value equal: mean is exact, std 0
    std::vector<std::int64_t> counts;
};

Result<void> buildTables(const WeightSpec &spec, Plan &plan)
{
    const bool boolean = !spec.quantization && spec.dtype == DType::Bool;
    const int width = boolean ? 1 : elementSize(spec.quantization->dtype);
    const int codes = width == 1 ? 256 : 65536;
    WeightSpec probe;
    probe.name = spec.name;
    probe.dtype = spec.dtype;
    probe.quantization = spec.quantization;
    probe.shape = {codes};
    QByteArray bytes(qsizetype(codes) * width, Qt::Uninitialized);
    for (int code = 0; code < codes; ++code) {
        if (width == 1) {
            bytes[code] = char(code);
        } else {
            const std::uint16_t value = std::uint16_t(code);
            std::memcpy(bytes.data() + 2 * code, &value, 2);
        }
    }
    // The codec decodes every possible code exactly as it decodes tensors (TF.js's rounding).
    auto decoded = decodeTensor(probe, bytes.constData(), bytes.size());
    if (!decoded)
        return fail(decoded.error());
    plan.codeWidth = width;
    if (const auto *floats = std::get_if<std::vector<float>>(&decoded->values)) {
        plan.kind = Kind::FloatTable;
        plan.floatTable = *floats;
    } else if (const auto *ints = std::get_if<std::vector<std::int32_t>>(&decoded->values)) {
        plan.kind = Kind::DoubleTable;
        plan.doubleTable.assign(ints->begin(), ints->end());
    } else if (const auto *raw = std::get_if<std::vector<std::uint8_t>>(&decoded->values)) {
        plan.kind = Kind::DoubleTable;
        plan.doubleTable.assign(raw->begin(), raw->end());
    } else {
        return fail(ErrorCode::Unsupported,
                    QStringLiteral("Tensor '%1' decodes to values statistics cannot handle.")
                        .arg(qs(spec.name)));
    }
    return {};
}

// Bytes one value takes on disk.
int valueWidth(const Plan &plan)
{
    switch (plan.kind) {
    case Kind::Float32:
    case Kind::Int32: return 4;
    case Kind::FloatTable:
    case Kind::DoubleTable: return plan.codeWidth;
    case Kind::String: return 0;
    }
    return 0;
}

// Cuts a tensor into items of at most chunkBytes that do not cross a segment boundary, except
// for the single value a boundary may split (shards can end inside a value).
void cutItems(Plan &plan, const ByteSource &source, qint64 chunkBytes)
{
    const int width = valueWidth(plan);
    if (width == 0 || plan.values == 0)
        return;
    const qint64 begin = plan.layout.offset;
    const std::int64_t chunkValues = std::max<qint64>(1, chunkBytes / width);
    std::vector<std::int64_t> cuts = {0, plan.values};
    for (const qint64 boundary : source.boundariesIn(begin, begin + plan.layout.bytes)) {
        const qint64 inside = boundary - begin;
        cuts.push_back(inside / width);
        cuts.push_back((inside + width - 1) / width);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
        for (std::int64_t from = cuts[c]; from < cuts[c + 1]; from += chunkValues) {
            Item item;
            item.values = std::min(chunkValues, cuts[c + 1] - from);
            item.offset = begin + from * width;
            item.bytes = item.values * width;
            plan.items.push_back(std::move(item));
        }
    }
}

// Per-worker buffers for decoded values.
struct Scratch
{
    static constexpr std::int64_t kValues = 8192;
    std::vector<float> floats = std::vector<float>(kValues);
    std::vector<double> doubles = std::vector<double>(kValues);
    Spread spread;
};

std::uint32_t codeAt(const char *data, std::int64_t i, int width)
{
    if (width == 1)
        return static_cast<std::uint8_t>(data[i]);
    std::uint16_t code;
    std::memcpy(&code, data + 2 * i, 2);
    return code;
}

// Calls fn(values, n) on consecutive float blocks of an item's values (float kinds).
template <typename Fn>
void floatBlocks(const Plan &plan, const char *data, std::int64_t count, Scratch &scratch, Fn fn)
{
    if (plan.kind == Kind::Float32
        && reinterpret_cast<std::uintptr_t>(data) % alignof(float) == 0) {
        fn(reinterpret_cast<const float *>(data), count);
        return;
    }
    float *buffer = scratch.floats.data();
    for (std::int64_t start = 0; start < count; start += Scratch::kValues) {
        const std::int64_t n = std::min(Scratch::kValues, count - start);
        if (plan.kind == Kind::Float32) {
            std::memcpy(buffer, data + 4 * start, std::size_t(n) * 4);
        } else {
            const float *table = plan.floatTable.data();
            for (std::int64_t i = 0; i < n; ++i)
                buffer[i] = table[codeAt(data, start + i, plan.codeWidth)];
        }
        fn(buffer, n);
    }
}

template <typename Fn>
void doubleBlocks(const Plan &plan, const char *data, std::int64_t count, Scratch &scratch, Fn fn)
{
    double *buffer = scratch.doubles.data();
    for (std::int64_t start = 0; start < count; start += Scratch::kValues) {
        const std::int64_t n = std::min(Scratch::kValues, count - start);
        if (plan.kind == Kind::Int32) {
            for (std::int64_t i = 0; i < n; ++i) {
                std::int32_t value;
                std::memcpy(&value, data + 4 * (start + i), 4);
                buffer[i] = value;
            }
        } else {
            const double *table = plan.doubleTable.data();
            for (std::int64_t i = 0; i < n; ++i)
                buffer[i] = table[codeAt(data, start + i, plan.codeWidth)];
        }
        fn(buffer, n);
    }
}

bool isFloatKind(Kind kind)
{
    return kind == Kind::Float32 || kind == Kind::FloatTable;
}

void runPass1(const Plan &plan, Item &item, const char *data, Scratch &scratch)
{
    item.moments = {};
    item.hasNonFinite = false;
    if (isFloatKind(plan.kind)) {
        floatBlocks(plan, data, item.values, scratch, [&](const float *values, std::int64_t n) {
            bool nonFinite = false;
            stats::momentsF32(values, n, item.moments, nonFinite);
            item.hasNonFinite = item.hasNonFinite || nonFinite;
        });
    } else {
        doubleBlocks(plan, data, item.values, scratch, [&](const double *values, std::int64_t n) {
            stats::momentsF64(values, n, item.moments);
        });
    }
}

void runPass2(const Plan &plan, Item &item, const char *data, Scratch &scratch)
{
    Spread &spread = scratch.spread;
    spread.m2 = {};
    spread.counts.assign(std::size_t(plan.params.bins), 0);
    if (isFloatKind(plan.kind)) {
        floatBlocks(plan, data, item.values, scratch, [&](const float *values, std::int64_t n) {
            stats::spreadF32(values, n, plan.params, item.hasNonFinite, spread);
        });
    } else {
        doubleBlocks(plan, data, item.values, scratch, [&](const double *values, std::int64_t n) {
            stats::spreadF64(values, n, plan.params, spread);
        });
    }
    item.m2 = spread.m2;
}

double float16Step(double magnitude)
{
    if (!std::isfinite(magnitude))
        return ValueStats::kNone;
    if (magnitude < std::ldexp(1.0, -14))
        return std::ldexp(1.0, -24); // subnormal spacing
    int exponent = 0;
    std::frexp(magnitude, &exponent); // magnitude = f * 2^exponent, f in [0.5, 1)
    return std::ldexp(1.0, exponent - 11);
}

ValueStats valueStats(const Moments &m, double m2, bool constant)
{
    ValueStats v;
    v.count = m.count;
    v.finite = m.finite;
    v.nan = m.nan;
    v.posInf = m.posInf;
    v.negInf = m.negInf;
    v.zeros = m.zeros;
    v.l2 = std::sqrt(m.sumSquares.value());
    if (m.finite > 0) {
        const double n = double(m.finite);
        v.min = m.min;
        v.max = m.max;
        v.mean = constant ? m.min : m.sum.value() / n;
        v.meanAbs = constant ? std::fabs(m.min) : m.sumAbs.value() / n;
        v.std = constant ? 0.0 : std::sqrt(std::max(0.0, m2 / n));
    }
    return v;
}

// Combines tensors into one ValueStats: sums add up; squared deviations from the overall mean
// are each tensor's own plus n_i * (mean_i - mean)^2 (Chan et al.).
struct Aggregate
{
    Moments moments;
    std::vector<std::pair<const Plan *, double>> parts; // plan and its mean
    int tensors = 0;

    void add(const Plan &plan)
    {
        ++tensors;
        moments.merge(plan.moments);
        if (plan.moments.finite > 0) {
            const double mean = plan.constant ? plan.moments.min
                                              : plan.moments.sum.value() / double(plan.moments.finite);
            parts.emplace_back(&plan, mean);
        }
    }

    ValueStats result() const
    {
        const bool constant = moments.finite > 0 && moments.min == moments.max;
        if (moments.finite == 0 || constant)
            return valueStats(moments, 0.0, constant);
        const double mean = moments.sum.value() / double(moments.finite);
        stats::CompensatedSum m2;
        for (const auto &[plan, partMean] : parts) {
            m2.add(plan->m2);
            const double d = partMean - mean;
            m2.add(double(plan->moments.finite) * d * d);
        }
        return valueStats(moments, m2.value(), false);
    }
};

// The shared state of one run: plans, the scheduler and the first error.
class Engine
{
public:
    Engine(const ByteSource &source, std::vector<Plan> &plans, const StatsOptions &options,
           JobContext &ctx)
        : m_source(source), m_plans(plans), m_options(options), m_ctx(ctx)
    {
    }

    Result<void> run(int threads)
    {
        std::vector<std::thread> workers;
        workers.reserve(std::size_t(std::max(0, threads - 1)));
        for (int t = 1; t < threads; ++t) {
            try {
                workers.emplace_back([this] { work(); });
            } catch (const std::system_error &) {
                break; // no more threads to be had: the ones we have do the work
            }
        }
        work();
        for (std::thread &worker : workers)
            worker.join();
        if (m_error)
            return fail(*m_error);
        return {};
    }

private:
    struct Task
    {
        Plan *plan = nullptr;
        std::size_t item = 0;
        int pass = 1;
        bool whole = false; // both passes done (one-item plans)
    };

    void work()
    {
        Scratch scratch;
        for (;;) {
            Task task;
            {
                std::unique_lock lock(m_mutex);
                for (;;) {
                    if (m_error || m_done == m_plans.size())
                        return;
                    if (m_ctx.isCancelled()) {
                        failLocked(cancelledError());
                        return;
                    }
                    if (takeLocked(task))
                        break;
                    // Taking may have finished tensors without work (empty, strings).
                    if (m_done == m_plans.size()) {
                        m_wake.notify_all();
                        return;
                    }
                    m_wake.wait(lock);
                }
            }
            Result<void> ran = runTask(task, scratch);
            std::lock_guard lock(m_mutex);
            if (!ran)
                failLocked(ran.error());
            else
                completeLocked(task, scratch);
            m_wake.notify_all();
        }
    }

    void failLocked(const Error &error)
    {
        if (!m_error)
            m_error = error;
        m_wake.notify_all();
    }

    bool takeLocked(Task &task)
    {
        for (Plan *plan : m_active) {
            if (plan->pass2Ready && plan->nextPass2 < plan->items.size()) {
                task = {plan, plan->nextPass2++, 2};
                return true;
            }
        }
        for (Plan *plan : m_active) {
            if (plan->nextPass1 < plan->items.size()) {
                task = {plan, plan->nextPass1++, 1};
                return true;
            }
        }
        while (m_next < m_plans.size()) {
            Plan &plan = m_plans[m_next];
            if (plan.items.empty()) {
                ++m_next;
                finishLocked(plan);
                continue;
            }
            if (!m_active.empty() && plan.hold && m_heldBytes + plan.layout.bytes > m_options.holdBytes)
                return false;
            ++m_next;
            m_active.push_back(&plan);
            if (plan.hold)
                m_heldBytes += plan.layout.bytes;
            task = {&plan, plan.nextPass1++, 1};
            return true;
        }
        return false;
    }

    Result<void> runTask(Task &task, Scratch &scratch)
    {
        Plan &plan = *task.plan;
        Item &item = plan.items[task.item];
        ByteSource::View view;
        if (task.pass == 2 && item.held.data) {
            view = std::move(item.held);
            item.held = {};
        } else {
            auto fetched = m_source.view(item.offset, item.bytes);
            if (!fetched)
                return fail(fetched.error());
            view = std::move(*fetched);
        }
        if (task.pass == 1) {
            runPass1(plan, item, view.data, scratch);
            m_ctx.addBytes(firstHalf(item.bytes));
            if (plan.items.size() == 1) {
                // The whole tensor is in this item, and no other task touches its plan: take
                // the second pass now, while the data is in this core's cache.
                if (prepareSecondPass(plan)) {
                    runPass2(plan, item, view.data, scratch);
                    addCounts(plan, scratch);
                    plan.m2.add(item.m2);
                }
                m_ctx.addBytes(secondHalf(item.bytes));
                task.whole = true;
            } else if (plan.hold) {
                item.held = std::move(view);
            }
        } else {
            runPass2(plan, item, view.data, scratch);
            m_ctx.addBytes(secondHalf(item.bytes));
        }
        return {};
    }

    // Progress counts each weight byte once: half of it when the first pass is over it, the
    // rest when the second pass is (or when the tensor turns out to need no second pass).
    static qint64 firstHalf(qint64 bytes) { return bytes / 2; }
    static qint64 secondHalf(qint64 bytes) { return bytes - bytes / 2; }

    // After the first pass over all of a plan's items: the moments, and what the second pass
    // needs. Returns false when there is no second pass (no finite value, all values equal, or
    // no histogram and the std known). Touches only the plan.
    bool prepareSecondPass(Plan &plan) const
    {
        for (const Item &item : plan.items)
            plan.moments.merge(item.moments);
        const Moments &m = plan.moments;
        const int bins = m_options.bins;
        if (m.finite == 0 || m.min == m.max) {
            // No finite values, or all equal: bin 0, std 0.
            plan.constant = m.finite > 0;
            if (bins > 0 && m.finite > 0) {
                plan.counts.assign(std::size_t(bins), 0);
                plan.counts[0] = m.finite;
            }
            return false;
        }
        // The std from the first pass's sums when they are accurate enough; then the second
        // pass (over the data again) is only for the histogram, or not needed at all.
        const std::optional<double> m2 = stats::m2FromMoments(m);
        if (m2)
            plan.m2.add(*m2);
        if (m2 && bins == 0)
            return false;
        plan.params.lo = m.min;
        plan.params.scale = double(bins) / (m.max - m.min);
        plan.params.mean = m.sum.value() / double(m.finite);
        plan.params.bins = bins;
        plan.params.m2 = !m2;
        plan.counts.assign(std::size_t(bins), 0);
        return true;
    }

    static void addCounts(Plan &plan, const Scratch &scratch)
    {
        // Counts are integers: adding them in completion order gives the same totals.
        const std::vector<std::int64_t> &counts = scratch.spread.counts;
        for (std::size_t k = 0; k < counts.size() && k < plan.counts.size(); ++k)
            plan.counts[k] += counts[k];
    }

    void completeLocked(const Task &task, const Scratch &scratch)
    {
        Plan &plan = *task.plan;
        if (task.whole) { // a one-item plan done in one go by runTask
            finishLocked(plan);
            return;
        }
        if (task.pass == 1) {
            if (++plan.donePass1 < plan.items.size())
                return;
            if (!prepareSecondPass(plan)) {
                qint64 rest = 0;
                for (const Item &item : plan.items)
                    rest += secondHalf(item.bytes);
                m_ctx.addBytes(rest);
                finishLocked(plan);
                return;
            }
            plan.pass2Ready = true;
            return;
        }
        addCounts(plan, scratch);
        if (++plan.donePass2 < plan.items.size())
            return;
        for (const Item &item : plan.items)
            plan.m2.add(item.m2);
        finishLocked(plan);
    }

    void finishLocked(Plan &plan)
    {
        for (Item &item : plan.items)
            item.held = {};
        const auto it = std::find(m_active.begin(), m_active.end(), &plan);
        if (it != m_active.end()) {
            m_active.erase(it);
            if (plan.hold)
                m_heldBytes -= plan.layout.bytes;
        }
        if (plan.kind == Kind::String)
            m_ctx.addBytes(plan.layout.bytes);
        ++m_done;
        m_ctx.addItems();
    }

    const ByteSource &m_source;
    std::vector<Plan> &m_plans;
    const StatsOptions &m_options;
    JobContext &m_ctx;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Plan *> m_active;
    std::size_t m_next = 0;
    std::size_t m_done = 0;
    qint64 m_heldBytes = 0;
    std::optional<Error> m_error;
};

} // namespace

Json ValueStats::toJson() const
{
    Json json = Json::object();
    json["count"] = count;
    json["finite"] = finite;
    json["nan"] = nan;
    json["posInf"] = posInf;
    json["negInf"] = negInf;
    json["zeros"] = zeros;
    json["sparsity"] = sparsity();
    json["min"] = number(min);
    json["max"] = number(max);
    json["mean"] = number(mean);
    json["std"] = number(std);
    json["meanAbs"] = number(meanAbs);
    json["l2"] = l2;
    return json;
}

Json Histogram::toJson() const
{
    Json json = Json::object();
    json["min"] = min;
    json["max"] = max;
    json["counts"] = counts;
    return json;
}

Json TensorStats::toJson() const
{
    Json json = Json::object();
    json["name"] = name;
    json["dtype"] = dtypeName(dtype);
    json["shape"] = shape;
    json["group"] = group ? Json(*group) : Json(nullptr);
    json["offset"] = offset;
    json["bytes"] = bytes;
    if (quantization) {
        Json q = Json::object();
        q["dtype"] = quantDTypeName(quantization->dtype);
        q["min"] = quantization->min ? Json(*quantization->min) : Json(nullptr);
        q["scale"] = quantization->scale ? Json(*quantization->scale) : Json(nullptr);
        q["step"] = number(step);
        json["quantization"] = q;
    } else {
        json["quantization"] = nullptr;
    }
    json["numeric"] = numeric;
    Json v = values.toJson();
    for (auto it = v.begin(); it != v.end(); ++it)
        json[it.key()] = it.value();
    json["histogram"] = histogram ? histogram->toJson() : Json(nullptr);
    return json;
}

Json WeightStats::toJson() const
{
    Json json = Json::object();
    json["schema"] = "tfjs-model/stats/1";
    json["bins"] = bins;
    json["bytes"] = bytes;
    Json m = model.toJson();
    m["tensors"] = modelTensors;
    json["model"] = m;
    if (optimizerTensors > 0) {
        Json o = optimizer.toJson();
        o["tensors"] = optimizerTensors;
        json["optimizer"] = o;
    } else {
        json["optimizer"] = nullptr;
    }
    Json list = Json::array();
    for (const TensorStats &tensor : tensors)
        list.push_back(tensor.toJson());
    json["tensors"] = list;
    return json;
}

Result<WeightStats> computeWeightStats(const ModelArtifacts &artifacts, const StatsOptions &options,
                                       JobContext &ctx)
{
    if (options.bins < 0 || options.bins > StatsOptions::kMaxBins)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The number of histogram bins must be between 0 and %1, not %2.")
                        .arg(StatsOptions::kMaxBins)
                        .arg(options.bins));
    if (options.chunkBytes <= 0 || options.holdBytes < 0 || options.threads < 0)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Statistics options need a positive chunk size, a hold budget "
                                   "and a thread count that are not negative."));
    static const std::vector<WeightSpec> kNoSpecs;
    const std::vector<WeightSpec> &specs = artifacts.weightSpecs ? *artifacts.weightSpecs : kNoSpecs;

    std::vector<bool> selected(specs.size(), options.tensors.isEmpty());
    for (const QString &name : options.tensors) {
        const std::string wanted = name.toStdString();
        const auto it = std::find_if(specs.begin(), specs.end(),
                                     [&](const WeightSpec &spec) { return spec.name == wanted; });
        if (it == specs.end()) {
            Error error{ErrorCode::NotFound,
                        QStringLiteral("The model has no tensor named '%1'.").arg(name)};
            error.tensor = name;
            return fail(error);
        }
        selected[std::size_t(it - specs.begin())] = true;
    }

    const ByteSource source(artifacts.weightData);
    auto layout = checkWeightLayout(specs, artifacts.weightData, {}, &ctx);
    if (!layout)
        return fail(layout.error());

    std::vector<Plan> plans;
    qint64 coveredBytes = 0;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (!selected[i])
            continue;
        const WeightSpec &spec = specs[i];
        Plan plan;
        plan.index = i;
        plan.layout = (*layout)[i];
        if (spec.quantization || spec.dtype == DType::Bool) {
            if (auto built = buildTables(spec, plan); !built)
                return fail(built.error());
        } else if (spec.dtype == DType::String) {
            plan.kind = Kind::String;
        } else {
            plan.kind = spec.dtype == DType::Int32 ? Kind::Int32 : Kind::Float32;
        }
        // complex64: the re and im components are the values.
        if (plan.kind != Kind::String)
            plan.values = spec.elementCount() * (spec.dtype == DType::Complex64 ? 2 : 1);
        plan.hold = plan.layout.bytes <= options.holdBytes;
        cutItems(plan, source, options.chunkBytes);
        coveredBytes += plan.layout.bytes;
        plans.push_back(std::move(plan));
    }

    ctx.setStage(QStringLiteral("Computing weight statistics"), coveredBytes, int(plans.size()));
    std::size_t items = 0;
    for (const Plan &plan : plans)
        items += plan.items.size();
    const int wanted = options.threads > 0 ? options.threads : QThread::idealThreadCount();
    const int threads = int(std::clamp<std::size_t>(std::min<std::size_t>(std::size_t(std::max(1, wanted)), items),
                                                    1, 256));
    Engine engine(source, plans, options, ctx);
    if (auto ran = engine.run(threads); !ran)
        return fail(ran.error());
    if (ctx.isCancelled())
        return fail(cancelledError());

    WeightStats result;
    result.bins = options.bins;
    result.bytes = coveredBytes;
    Aggregate model;
    Aggregate optimizer;
    for (const Plan &plan : plans) {
        const WeightSpec &spec = specs[plan.index];
        TensorStats t;
        t.index = plan.index;
        t.name = spec.name;
        t.shape = spec.shape;
        t.dtype = spec.dtype;
        t.group = spec.group;
        t.quantization = spec.quantization;
        t.offset = plan.layout.offset;
        t.bytes = plan.layout.bytes;
        if (plan.kind == Kind::String) {
            t.numeric = false;
            t.values.count = spec.elementCount();
        } else {
            t.values = valueStats(plan.moments, plan.m2.value(), plan.constant);
            if (options.bins > 0 && plan.moments.finite > 0)
                t.histogram = Histogram{plan.moments.min, plan.moments.max, plan.counts};
        }
        if (spec.quantization) {
            if (spec.quantization->dtype == QuantDType::Float16)
                t.step = t.values.finite > 0
                             ? float16Step(std::max(std::fabs(t.values.min), std::fabs(t.values.max)))
                             : ValueStats::kNone;
            else
                t.step = spec.quantization->scale.value_or(ValueStats::kNone);
        }
        if (spec.dtype == DType::Float32)
            (spec.group == "optimizer" ? optimizer : model).add(plan);
        result.tensors.push_back(std::move(t));
    }
    result.model = model.result();
    result.modelTensors = model.tensors;
    result.optimizer = optimizer.result();
    result.optimizerTensors = optimizer.tensors;
    return result;
}

} // namespace tfjs
