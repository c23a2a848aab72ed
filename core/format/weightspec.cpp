#include "weightspec.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <variant>

namespace tfjs {

namespace {

constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1; // Number.MAX_SAFE_INTEGER

QString qs(const std::string &text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// A JSON value for a message: compact, cut after 40 bytes.
QString describe(const Json &value)
{
    if (value.is_number_integer()) // exact, even beyond 2^53
        return qs(value.dump());
    std::string text = stringify(value);
    if (text.size() > 40) {
        text.resize(40);
        text += "...";
    }
    return qs(text);
}

Error formatError(QString message, const QString &where, const std::string *tensor = nullptr)
{
    Error error{ErrorCode::Format, std::move(message)};
    error.path = where;
    if (tensor)
        error.tensor = qs(*tensor);
    return error;
}

// One shape dimension as a non-negative safe integer, or the reason it is not one.
std::variant<std::int64_t, QString> parseDimension(const Json &d)
{
    const QString shown = describe(d);
    if (d.is_number_unsigned()) {
        const auto v = d.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(kMaxSafeInteger))
            return QStringLiteral("%1, more than 2^53 - 1").arg(shown);
        return static_cast<std::int64_t>(v);
    }
    if (d.is_number_integer()) {
        const auto v = d.get<std::int64_t>();
        if (v < 0)
            return shown;
        if (v > kMaxSafeInteger)
            return QStringLiteral("%1, more than 2^53 - 1").arg(shown);
        return v;
    }
    if (d.is_number_float()) {
        const auto v = d.get<double>();
        if (!std::isfinite(v))
            return QStringLiteral("not a finite number");
        if (v != std::trunc(v))
            return QStringLiteral("%1, not a whole number").arg(shown);
        if (v < 0)
            return shown;
        if (v > static_cast<double>(kMaxSafeInteger))
            return QStringLiteral("%1, more than 2^53 - 1").arg(shown);
        return static_cast<std::int64_t>(v);
    }
    return QStringLiteral("%1, not a number").arg(shown);
}

// min/scale: absent, or a finite number.
Result<std::optional<double>> parseQuantNumber(const Json &quant, const char *key,
                                               const std::string &name, const QString &where)
{
    const auto it = quant.find(key);
    if (it == quant.end())
        return std::nullopt;
    if (!it->is_number() || !std::isfinite(it->get<double>())) {
        return fail(formatError(
            QStringLiteral("Weight '%1' has a quantization '%2' that is not a finite number.")
                .arg(qs(name), QLatin1String(key)),
            where, &name));
    }
    return it->get<double>();
}

Result<Quantization> parseQuantization(const Json &quant, const WeightSpec &spec,
                                       const QString &where)
{
    const std::string &name = spec.name;
    const QString shownName = qs(name);
    if (!quant.is_object()) {
        return fail(formatError(
            QStringLiteral("Weight '%1' has a 'quantization' that is not an object.").arg(shownName),
            where, &name));
    }
    const auto dtypeIt = quant.find("dtype");
    if (dtypeIt == quant.end() || !dtypeIt->is_string()) {
        return fail(formatError(
            QStringLiteral("Weight '%1' has quantization without a string 'dtype'.").arg(shownName),
            where, &name));
    }
    const std::string &dtypeText = dtypeIt->get_ref<const std::string &>();
    const std::optional<QuantDType> dtype = quantDTypeFromName(dtypeText);
    if (!dtype) {
        return fail(formatError(QStringLiteral("Weight '%1' has quantization with unknown dtype '%2'.")
                                    .arg(shownName, qs(dtypeText)),
                                where, &name));
    }
    if (spec.dtype != DType::Float32 && spec.dtype != DType::Int32) {
        return fail(formatError(
            QStringLiteral("Weight '%1' has dtype %2, which cannot be quantized "
                           "(only float32 and int32 can).")
                .arg(shownName, QLatin1String(dtypeName(spec.dtype))),
            where, &name));
    }
    if (*dtype == QuantDType::Float16 && spec.dtype != DType::Float32) {
        return fail(formatError(
            QStringLiteral("Weight '%1' has float16 quantization, which TF.js allows only on "
                           "float32 weights, not %2.")
                .arg(shownName, QLatin1String(dtypeName(spec.dtype))),
            where, &name));
    }

    Quantization q;
    q.dtype = *dtype;
    auto min = parseQuantNumber(quant, "min", name, where);
    if (!min)
        return fail(min.error());
    auto scale = parseQuantNumber(quant, "scale", name, where);
    if (!scale)
        return fail(scale.error());
    q.min = *min;
    q.scale = *scale;
    if (*dtype != QuantDType::Float16 && (!q.min || !q.scale)) {
        const QString missing = !q.min && !q.scale ? QStringLiteral("'min' and 'scale'")
                                : !q.min           ? QStringLiteral("'min'")
                                                   : QStringLiteral("'scale'");
        return fail(formatError(
            QStringLiteral("Weight '%1' has %2 quantization without %3; %2 quantization "
                           "requires 'min' and 'scale'.")
                .arg(shownName, QLatin1String(quantDTypeName(*dtype)), missing),
            where, &name));
    }
    return q;
}

// `entryLabel` names the entry in messages written before its name is known.
Result<WeightSpec> parseSpec(const Json &entry, const QString &where, const QString &entryLabel)
{
    if (!entry.is_object())
        return fail(formatError(QStringLiteral("%1 is not an object.").arg(entryLabel), where));
    const auto nameIt = entry.find("name");
    if (nameIt == entry.end() || !nameIt->is_string()) {
        return fail(
            formatError(QStringLiteral("%1 has no string 'name'.").arg(entryLabel), where));
    }

    WeightSpec spec;
    spec.name = nameIt->get<std::string>();
    const std::string &name = spec.name;
    const QString shownName = qs(name);

    const auto shapeIt = entry.find("shape");
    if (shapeIt == entry.end() || !shapeIt->is_array()) {
        return fail(formatError(QStringLiteral("Weight '%1' has no 'shape' array.").arg(shownName),
                                where, &name));
    }
    spec.shape.reserve(shapeIt->size());
    for (size_t i = 0; i < shapeIt->size(); ++i) {
        const auto dim = parseDimension((*shapeIt)[i]);
        if (const QString *reason = std::get_if<QString>(&dim)) {
            return fail(formatError(
                QStringLiteral("Weight '%1' has an invalid shape: dimension %2 is %3.")
                    .arg(shownName)
                    .arg(i)
                    .arg(*reason),
                where, &name));
        }
        spec.shape.push_back(std::get<std::int64_t>(dim));
    }
    if (spec.elementCount() < 0) {
        return fail(formatError(
            QStringLiteral("Weight '%1' has an invalid shape: %2 holds more than 2^63 - 1 "
                           "elements.")
                .arg(shownName, describe(*shapeIt)),
            where, &name));
    }

    const auto dtypeIt = entry.find("dtype");
    if (dtypeIt == entry.end() || !dtypeIt->is_string()) {
        return fail(formatError(QStringLiteral("Weight '%1' has no string 'dtype'.").arg(shownName),
                                where, &name));
    }
    const std::string &dtypeText = dtypeIt->get_ref<const std::string &>();
    const std::optional<DType> dtype = dtypeFromName(dtypeText);
    if (!dtype) {
        return fail(formatError(
            QStringLiteral("Weight '%1' has unknown dtype '%2'.").arg(shownName, qs(dtypeText)),
            where, &name));
    }
    spec.dtype = *dtype;

    // TF.js never reads `group`; a value that is not a string is kept in `json` only.
    const auto groupIt = entry.find("group");
    if (groupIt != entry.end() && groupIt->is_string())
        spec.group = groupIt->get<std::string>();

    // As in TF.js, the key's presence selects dequantization, so null is an error.
    const auto quantIt = entry.find("quantization");
    if (quantIt != entry.end()) {
        auto quantization = parseQuantization(*quantIt, spec, where);
        if (!quantization)
            return fail(quantization.error());
        spec.quantization = *quantization;
    }

    if (spec.dtype != DType::String && spec.byteSize() < 0) {
        return fail(formatError(
            QStringLiteral("Weight '%1' is too large: its %2 elements take more than 2^63 - 1 "
                           "bytes.")
                .arg(shownName)
                .arg(spec.elementCount()),
            where, &name));
    }
    spec.json = entry;
    return spec;
}

Error shardError(const std::string &path, const QString &modelFile, const QString &problem)
{
    QString shown = qs(path);
    shown.replace(QChar(u'\0'), QStringLiteral("\\0"));
    Error error{ErrorCode::Format,
                QStringLiteral("Shard path '%1' in %2 %3").arg(shown, modelFile, problem)};
    error.path = modelFile;
    error.shard = shown;
    return error;
}

} // namespace

// -1 when a dimension is negative or the product overflows int64 (possible only for specs
// built in code; parsed specs are validated).
std::int64_t WeightSpec::elementCount() const
{
    std::int64_t count = 1;
    bool overflow = false;
    for (const std::int64_t dim : shape) {
        if (dim < 0)
            return -1;
        if (dim == 0)
            return 0;
        overflow = overflow || __builtin_mul_overflow(count, dim, &count);
    }
    return overflow ? -1 : count;
}

// Also -1 when the size is unknown because the shape is invalid or the bytes overflow int64.
std::int64_t WeightSpec::byteSize() const
{
    if (dtype == DType::String)
        return -1;
    const std::int64_t count = elementCount();
    if (count < 0)
        return -1;
    const int size = quantization ? elementSize(quantization->dtype) : elementSize(dtype);
    std::int64_t bytes = 0;
    if (__builtin_mul_overflow(count, static_cast<std::int64_t>(size), &bytes))
        return -1;
    return bytes;
}

QString shapeText(const std::vector<std::int64_t> &shape)
{
    QStringList dims;
    for (const std::int64_t dim : shape)
        dims << QString::number(dim);
    return QLatin1Char('[') + dims.join(QLatin1Char(',')) + QLatin1Char(']');
}

Result<std::int64_t> checkedElementCount(const WeightSpec &spec)
{
    const std::int64_t count = spec.elementCount();
    if (count >= 0)
        return count;
    const bool negative =
        std::any_of(spec.shape.begin(), spec.shape.end(), [](std::int64_t dim) { return dim < 0; });
    const QString problem = negative ? QStringLiteral("has a negative dimension")
                                     : QStringLiteral("holds more than 2^63 - 1 elements");
    return fail(formatError(QStringLiteral("Weight '%1' has an invalid shape: %2 %3.")
                                .arg(qs(spec.name), shapeText(spec.shape), problem),
                            {}, &spec.name));
}

Json WeightSpec::toJson() const
{
    if (!json.is_null())
        return json;
    Json out = Json::object();
    out["name"] = name;
    out["shape"] = shape;
    out["dtype"] = dtypeName(dtype);
    if (group)
        out["group"] = *group;
    if (quantization) {
        Json q = Json::object();
        q["dtype"] = quantDTypeName(quantization->dtype);
        if (quantization->min)
            q["min"] = *quantization->min;
        if (quantization->scale)
            q["scale"] = *quantization->scale;
        out["quantization"] = std::move(q);
    }
    return out;
}

Result<WeightSpec> parseWeightSpec(const Json &entry, const QString &where)
{
    return parseSpec(entry, where, QStringLiteral("A weight entry in %1").arg(where));
}

namespace {

// `subject` names the list in the message ("The weights manifest in model.json").
Result<void> checkWeightCount(std::size_t count, const QString &subject, const QString &where)
{
    if (count <= kMaxWeights)
        return {};
    return fail(formatError(QStringLiteral("%1 lists %2 weights; at most %3 are accepted (TF.js "
                                           "models have a few thousand at most).")
                                .arg(subject)
                                .arg(count)
                                .arg(kMaxWeights),
                            where));
}

} // namespace

Result<std::vector<WeightSpec>> parseWeightSpecs(const Json &specs, const QString &where)
{
    if (auto bounded = checkWeightCount(specs.size(), QStringLiteral("The weightSpecs array of %1").arg(where),
                                        where);
        !bounded)
        return fail(bounded.error());
    std::vector<WeightSpec> out;
    out.reserve(specs.size());
    for (const Json &entry : specs) {
        auto spec = parseWeightSpec(entry, where);
        if (!spec)
            return fail(spec.error());
        out.push_back(std::move(*spec));
    }
    return out;
}

Result<WeightsManifest> parseWeightsManifest(const Json &manifest, const QString &where)
{
    if (!manifest.is_array()) {
        return fail(formatError(
            QStringLiteral("The weights manifest in %1 is not an array.").arg(where), where));
    }
    std::size_t files = 0;
    std::size_t weights = 0;
    for (const Json &group : manifest) {
        if (!group.is_object())
            continue; // reported below, with its index
        if (const auto paths = group.find("paths"); paths != group.end() && paths->is_array())
            files += paths->size();
        if (const auto specs = group.find("weights"); specs != group.end() && specs->is_array())
            weights += specs->size();
    }
    if (files > kMaxWeightFiles) {
        return fail(formatError(QStringLiteral("The weights manifest in %1 lists %2 weight files; "
                                               "at most %3 are accepted (TF.js models have a "
                                               "few hundred at most).")
                                    .arg(where)
                                    .arg(files)
                                    .arg(kMaxWeightFiles),
                                where));
    }
    if (auto bounded = checkWeightCount(
            weights, QStringLiteral("The weights manifest in %1").arg(where), where);
        !bounded)
        return fail(bounded.error());
    WeightsManifest groups;
    std::unordered_set<std::string> names;
    for (size_t g = 0; g < manifest.size(); ++g) {
        const Json &groupJson = manifest[g];
        const QString groupLabel = QStringLiteral("weightsManifest[%1]").arg(g);
        if (!groupJson.is_object()) {
            return fail(formatError(
                QStringLiteral("Group %1 in %2 is not an object.").arg(groupLabel, where), where));
        }
        WeightsGroup group;
        const auto pathsIt = groupJson.find("paths");
        if (pathsIt == groupJson.end() || !pathsIt->is_array()) {
            return fail(formatError(
                QStringLiteral("Group %1 in %2 has no 'paths' array.").arg(groupLabel, where),
                where));
        }
        for (size_t p = 0; p < pathsIt->size(); ++p) {
            const Json &path = (*pathsIt)[p];
            if (!path.is_string()) {
                return fail(formatError(QStringLiteral("Path %1.paths[%2] in %3 is not a string.")
                                            .arg(groupLabel)
                                            .arg(p)
                                            .arg(where),
                                        where));
            }
            group.paths.push_back(path.get<std::string>());
        }
        const auto weightsIt = groupJson.find("weights");
        if (weightsIt != groupJson.end()) { // TF.js drops the key when a group has no weights
            if (!weightsIt->is_array()) {
                return fail(formatError(
                    QStringLiteral("Group %1 in %2 has a 'weights' value that is not an array.")
                        .arg(groupLabel, where),
                    where));
            }
            for (size_t i = 0; i < weightsIt->size(); ++i) {
                auto spec = parseSpec((*weightsIt)[i], where,
                                      QStringLiteral("Entry %1.weights[%2] in %3")
                                          .arg(groupLabel)
                                          .arg(i)
                                          .arg(where));
                if (!spec)
                    return fail(spec.error());
                if (!names.insert(spec->name).second) {
                    return fail(formatError(QStringLiteral("Weight '%1' is listed twice in %2.")
                                                .arg(qs(spec->name), where),
                                            where, &spec->name));
                }
                group.weights.push_back(std::move(*spec));
            }
        }
        groups.push_back(std::move(group));
    }
    return groups;
}

Json weightsManifestToJson(const WeightsManifest &manifest)
{
    Json out = Json::array();
    for (const WeightsGroup &group : manifest) {
        Json g = Json::object();
        g["paths"] = group.paths;
        g["weights"] = specsToJson(group.weights);
        out.push_back(std::move(g));
    }
    return out;
}

std::vector<WeightSpec> flatSpecs(const WeightsManifest &manifest)
{
    std::vector<WeightSpec> specs;
    for (const WeightsGroup &group : manifest)
        specs.insert(specs.end(), group.weights.begin(), group.weights.end());
    return specs;
}

Json specsToJson(const std::vector<WeightSpec> &specs)
{
    return toJsonArray(specs);
}

Result<void> checkRelativeShardPath(const std::string &path, const QString &modelFile)
{
    if (path.empty()) {
        Error error{ErrorCode::Format, QStringLiteral("A shard path in %1 is empty.").arg(modelFile)};
        error.path = modelFile;
        return fail(error);
    }
    if (path.find('\0') != std::string::npos)
        return fail(shardError(path, modelFile, QStringLiteral("contains a NUL byte.")));
    const auto isLetter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (path.front() == '/' || path.front() == '\\'
        || (path.size() >= 2 && isLetter(path[0]) && path[1] == ':')) {
        return fail(shardError(path, modelFile,
                               QStringLiteral("is absolute; it must be relative to the model's "
                                              "folder.")));
    }
    const size_t colon = path.find(':');
    if (colon != std::string::npos && colon < path.find_first_of("/\\")) {
        return fail(shardError(path, modelFile,
                               QStringLiteral("is a URL; it must name a file in the model's "
                                              "folder.")));
    }
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find_first_of("/\\", start);
        if (end == std::string::npos)
            end = path.size();
        if (std::string_view(path).substr(start, end - start) == "..")
            return fail(shardError(path, modelFile, QStringLiteral("leaves the model's folder.")));
        start = end + 1;
    }
    return {};
}

} // namespace tfjs
