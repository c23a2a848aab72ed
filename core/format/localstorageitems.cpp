#include "format/localstorageitems.h"

#include "format/weightlayout.h"

namespace tfjs {

namespace {

const QString kScheme = QStringLiteral("localstorage://");
const QString kInfo = QStringLiteral("info");
const QString kTopology = QStringLiteral("model_topology");
const QString kSpecs = QStringLiteral("weight_specs");
const QString kData = QStringLiteral("weight_data");
const QString kMetadata = QStringLiteral("model_metadata");

} // namespace

Error pathError(ErrorCode code, const QString &message, const QString &path)
{
    Error error{code, message};
    error.path = path;
    return error;
}

const std::array<QString, 5> &localStorageSuffixes()
{
    // Literals, not the constants above: this may run before they are initialized.
    static const std::array<QString, 5> suffixes = {
        QStringLiteral("info"), QStringLiteral("model_topology"), QStringLiteral("weight_specs"),
        QStringLiteral("weight_data"), QStringLiteral("model_metadata")};
    return suffixes;
}

QString localStorageKey(const QString &path, const QString &suffix)
{
    return QStringLiteral("tensorflowjs_models/") + path + QLatin1Char('/') + suffix;
}

Result<std::optional<Json>> parseLocalStorageItem(const std::optional<QString> &value,
                                                  const QString &key)
{
    if (!value)
        return std::optional<Json>();
    const QByteArray utf8 = value->toUtf8();
    auto json = parseJson(std::string_view(utf8.constData(), std::size_t(utf8.size())),
                          QStringLiteral("local storage item '%1'").arg(key));
    if (!json)
        return fail(json.error());
    if (json->is_null())
        return std::optional<Json>();
    return std::optional<Json>(std::move(*json));
}

Json localStorageMetadata(const ModelArtifacts &artifacts)
{
    Json json = Json::object();
    const auto asGiven = [&json](const char *key, const std::optional<Json> &value) {
        if (value)
            json[key] = *value;
    };
    const auto nonNull = [&json](const char *key, const std::optional<Json> &value) {
        if (value && !value->is_null())
            json[key] = *value;
    };
    asGiven("format", artifacts.format);
    asGiven("generatedBy", artifacts.generatedBy);
    asGiven("convertedBy", artifacts.convertedBy);
    nonNull("signature", artifacts.signature);
    nonNull("userDefinedMetadata", artifacts.userDefinedMetadata);
    nonNull("modelInitializer", artifacts.modelInitializer);
    nonNull("initializerSignature", artifacts.initializerSignature);
    nonNull("trainingConfig", artifacts.trainingConfig);
    return json;
}

Result<ModelArtifacts> artifactsFromItems(const LocalStorageItems &items, const QString &path)
{
    const auto missing = [&path](const QString &message) {
        return fail(pathError(ErrorCode::NotFound, message.arg(path), path));
    };
    auto info = parseLocalStorageItem(items[0], localStorageKey(path, kInfo));
    if (!info)
        return fail(info.error());
    if (!*info)
        return missing(QStringLiteral("In local storage, there is no model with name '%1'"));
    const auto type = (*info)->find("modelTopologyType");
    if (!(*info)->is_object() || type == (*info)->end() || *type != "JSON")
        return fail(pathError(ErrorCode::Unsupported,
                              QStringLiteral("BrowserLocalStorage does not support loading non-JSON "
                                             "model topology yet."),
                              path));

    ModelArtifacts artifacts;
    auto topology = parseLocalStorageItem(items[1], localStorageKey(path, kTopology));
    if (!topology)
        return fail(topology.error());
    if (!*topology)
        return missing(QStringLiteral("In local storage, the topology of model '%1' is missing."));
    artifacts.modelTopology = std::move(**topology);

    const QString where = kScheme + path;
    auto specs = parseLocalStorageItem(items[2], localStorageKey(path, kSpecs));
    if (!specs)
        return fail(specs.error());
    if (!*specs)
        return missing(QStringLiteral("In local storage, the weight specs of model '%1' are "
                                      "missing."));
    if (!(*specs)->is_array())
        return fail(pathError(ErrorCode::Format,
                              QStringLiteral("The local storage item '%1' is not a list of weight "
                                             "specs.")
                                  .arg(localStorageKey(path, kSpecs)),
                              path));
    auto parsedSpecs = parseWeightSpecs(**specs, where);
    if (!parsedSpecs)
        return fail(parsedSpecs.error());
    artifacts.weightSpecs = std::move(*parsedSpecs);

    // Older saves have no metadata item; its fields then stay absent.
    auto metadata = parseLocalStorageItem(items[4], localStorageKey(path, kMetadata));
    if (!metadata)
        return fail(metadata.error());
    if (*metadata && (*metadata)->is_object()) {
        const Json &m = **metadata;
        const auto copy = [&m](const char *key, std::optional<Json> &field, bool keepNull) {
            const auto it = m.find(key);
            if (it != m.end() && (keepNull || !it->is_null()))
                field = *it;
        };
        copy("format", artifacts.format, true);
        copy("generatedBy", artifacts.generatedBy, true);
        copy("convertedBy", artifacts.convertedBy, true);
        copy("signature", artifacts.signature, false);
        copy("userDefinedMetadata", artifacts.userDefinedMetadata, false);
        copy("modelInitializer", artifacts.modelInitializer, false);
        copy("initializerSignature", artifacts.initializerSignature, false);
        copy("trainingConfig", artifacts.trainingConfig, false);
    }

    if (!items[3])
        return missing(QStringLiteral("In local storage, the binary weight values of model '%1' "
                                      "are missing."));
    auto bytes = QByteArray::fromBase64Encoding(items[3]->toLatin1(),
                                                QByteArray::AbortOnBase64DecodingErrors);
    if (!bytes)
        return fail(pathError(ErrorCode::Format,
                              QStringLiteral("The local storage item '%1' is not valid base64.")
                                  .arg(localStorageKey(path, kData)),
                              path));
    artifacts.weightData = WeightData::fromBytes(std::move(*bytes), where);
    if (auto checked = checkWeightLayout(*artifacts.weightSpecs, artifacts.weightData, where);
        !checked)
        return fail(checked.error());
    return artifacts;
}

} // namespace tfjs
