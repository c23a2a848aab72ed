#include "layershapes.h"

#include <algorithm>
#include <set>

namespace tfjs {

namespace {

using Ints = std::vector<std::int64_t>;

// Dimensions beyond this are not plausible shapes; refusing them keeps the arithmetic exact.
constexpr std::int64_t kMaxDim = std::int64_t(1) << 40;

std::optional<std::int64_t> intValue(const Json &value)
{
    if (value.is_number_integer()) {
        const std::int64_t v = value.get<std::int64_t>();
        if (v >= -kMaxDim && v <= kMaxDim)
            return v;
    }
    if (value.is_number_float()) {
        const double v = value.get<double>();
        if (v == double(std::int64_t(v)) && v >= -double(kMaxDim) && v <= double(kMaxDim))
            return std::int64_t(v);
    }
    return std::nullopt;
}

const Json *field(const Json &config, const char *key)
{
    if (!config.is_object())
        return nullptr;
    const auto it = config.find(key);
    return it == config.end() ? nullptr : &*it;
}

std::optional<std::int64_t> intField(const Json &config, const char *key)
{
    const Json *value = field(config, key);
    return value ? intValue(*value) : std::nullopt;
}

std::string stringField(const Json &config, const char *key, const std::string &fallback)
{
    const Json *value = field(config, key);
    return value && value->is_string() ? value->get<std::string>() : fallback;
}

bool boolField(const Json &config, const char *key, bool fallback)
{
    const Json *value = field(config, key);
    return value && value->is_boolean() ? value->get<bool>() : fallback;
}

// An int or a list of `rank` ints (kernel_size: 3 or [3, 3]); `fallback` when absent.
std::optional<Ints> intsField(const Json &config, const char *key, std::size_t rank,
                              std::optional<Ints> fallback = std::nullopt)
{
    const Json *value = field(config, key);
    if (!value || value->is_null())
        return fallback;
    if (auto single = intValue(*value))
        return Ints(rank, *single);
    if (!value->is_array() || value->size() != rank)
        return std::nullopt;
    Ints out;
    for (const Json &item : *value) {
        auto v = intValue(item);
        if (!v)
            return std::nullopt;
        out.push_back(*v);
    }
    return out;
}

// [[a, b], [c, d]] or [a, b] (symmetric) or a (all), for 2D padding/cropping.
std::optional<std::vector<Ints>> pairsField(const Json &config, const char *key, std::size_t rank)
{
    const Json *value = field(config, key);
    if (!value)
        return std::nullopt;
    if (auto single = intValue(*value))
        return std::vector<Ints>(rank, Ints{*single, *single});
    if (!value->is_array() || value->size() != rank)
        return std::nullopt;
    std::vector<Ints> out;
    for (const Json &item : *value) {
        if (auto v = intValue(item)) {
            out.push_back({*v, *v});
        } else if (item.is_array() && item.size() == 2 && intValue(item[0]) && intValue(item[1])) {
            out.push_back({*intValue(item[0]), *intValue(item[1])});
        } else {
            return std::nullopt;
        }
    }
    return out;
}

bool channelsFirst(const Json &config)
{
    return stringField(config, "data_format", "channels_last") == "channels_first";
}

Dim plus(Dim a, std::int64_t b)
{
    return a ? Dim(*a + b) : std::nullopt;
}

Dim times(Dim a, std::int64_t b)
{
    return a ? Dim(*a * b) : std::nullopt;
}

// conv_utils.convOutputLength. Like tfjs, anything but "same" counts as "valid": tfjs-layers
// reports a causal Conv1D's length as if unpadded, and we report what TF.js reports.
Dim convOutputLength(Dim input, std::int64_t filter, const std::string &padding, std::int64_t stride,
                     std::int64_t dilation = 1)
{
    if (!input || stride <= 0)
        return std::nullopt;
    const std::int64_t dilated = filter + (filter - 1) * (dilation - 1);
    const std::int64_t length = padding == "same" ? *input : *input - dilated + 1;
    const std::int64_t up = length + stride - 1;
    return up >= 0 ? up / stride : -((-up + stride - 1) / stride); // Math.floor
}

// conv_utils.deconvLength
Dim deconvLength(Dim input, std::int64_t stride, std::int64_t kernel, const std::string &padding)
{
    if (!input)
        return std::nullopt;
    if (padding == "valid")
        return *input * stride + std::max<std::int64_t>(kernel - stride, 0);
    if (padding == "same")
        return *input * stride;
    return std::nullopt;
}

// Spatial rank from the class name suffix ("Conv2D" -> 2), or the input rank.
std::size_t spatialRank(const std::string &className, const Shape &input)
{
    if (className.find("1D") != std::string::npos)
        return 1;
    if (className.find("2D") != std::string::npos)
        return 2;
    if (className.find("3D") != std::string::npos)
        return 3;
    return input.size() >= 2 ? input.size() - 2 : 0;
}

std::optional<Shapes> one(Shape shape)
{
    return Shapes{std::move(shape)};
}

// `in` with each of its `rank` spatial dimensions (after the batch, and after the channels when
// `first`, channels first) replaced by resize(length, i); batch and channels kept.
template <typename Resize>
std::optional<Shapes> resizeSpatial(const Shape &in, bool first, std::size_t rank, Resize resize)
{
    const std::size_t spaceAt = first ? 2 : 1;
    Shape out = in;
    for (std::size_t i = 0; i < rank; ++i)
        out[spaceAt + i] = resize(in[spaceAt + i], i);
    return one(std::move(out));
}

std::optional<Shapes> convolution(const std::string &className, const Json &config, const Shape &in)
{
    const std::size_t rank = spatialRank(className, in);
    if (in.size() != rank + 2 || rank == 0)
        return std::nullopt;
    const bool transpose = className.find("Transpose") != std::string::npos;
    const bool depthwise = className.rfind("DepthwiseConv", 0) == 0;
    const auto kernel = intsField(config, "kernel_size", rank);
    const auto strides = intsField(config, "strides", rank, Ints(rank, 1));
    const auto dilation = intsField(config, "dilation_rate", rank, Ints(rank, 1));
    const std::string padding = stringField(config, "padding", "valid");
    if (!kernel || !strides || !dilation)
        return std::nullopt;
    const bool first = channelsFirst(config);
    const std::size_t spaceAt = first ? 2 : 1;
    Dim channels;
    if (depthwise) {
        const Dim inChannels = first ? in[1] : in[rank + 1];
        channels = times(inChannels, intField(config, "depth_multiplier").value_or(1));
    } else {
        const auto filters = intField(config, "filters");
        if (!filters)
            return std::nullopt;
        channels = *filters;
    }
    Shape out = {in[0]};
    if (first)
        out.push_back(channels);
    for (std::size_t i = 0; i < rank; ++i) {
        const Dim length = in[spaceAt + i];
        out.push_back(transpose ? deconvLength(length, (*strides)[i], (*kernel)[i], padding)
                                : convOutputLength(length, (*kernel)[i], padding, (*strides)[i],
                                                   (*dilation)[i]));
    }
    if (!first)
        out.push_back(channels);
    return one(std::move(out));
}

std::optional<Shapes> pooling(const std::string &className, const Json &config, const Shape &in)
{
    const std::size_t rank = spatialRank(className, in);
    if (in.size() != rank + 2 || rank == 0)
        return std::nullopt;
    const auto pool = intsField(config, "pool_size", rank, Ints(rank, 2));
    if (!pool)
        return std::nullopt;
    const auto strides = intsField(config, "strides", rank, pool);
    if (!strides)
        return std::nullopt;
    const std::string padding = stringField(config, "padding", "valid");
    // tfjs's Pooling1D ignores data_format; 2D/3D honour it.
    const bool first = rank > 1 && channelsFirst(config);
    return resizeSpatial(in, first, rank, [&](Dim length, std::size_t i) {
        return convOutputLength(length, (*pool)[i], padding, (*strides)[i]);
    });
}

std::optional<Shapes> globalPooling(const Json &config, const Shape &in)
{
    if (in.size() < 3)
        return std::nullopt;
    const bool first = channelsFirst(config);
    const Dim channels = first ? in[1] : in.back();
    if (boolField(config, "keepdims", false)) {
        Shape out(in.size(), Dim(1));
        out[0] = in[0];
        out[first ? 1 : in.size() - 1] = channels;
        return one(std::move(out));
    }
    return one({in[0], channels});
}

std::optional<Shapes> reshape(const Json &config, const Shape &in)
{
    const Json *target = field(config, "target_shape");
    if (!target || !target->is_array() || in.empty())
        return std::nullopt;
    // tfjs turns -1 (and any negative) target dimensions into null.
    Shape dims;
    for (const Json &item : *target) {
        if (item.is_null()) {
            dims.push_back(std::nullopt);
            continue;
        }
        auto v = intValue(item);
        if (!v)
            return std::nullopt;
        dims.push_back(*v < 0 ? std::nullopt : Dim(*v));
    }
    Shape out = {in[0]};
    // tfjs counts the batch dimension too, so a null batch keeps the target as it is.
    const bool unknown = std::any_of(in.begin(), in.end(), [](Dim d) { return !d || *d < 0; });
    if (unknown) {
        out.insert(out.end(), dims.begin(), dims.end());
        return one(std::move(out));
    }
    std::int64_t known = 1;
    std::int64_t total = 1;
    int unknownAt = -1;
    for (std::size_t i = 0; i < dims.size(); ++i) {
        if (!dims[i]) {
            if (unknownAt >= 0)
                return std::nullopt;
            unknownAt = int(i);
        } else {
            known *= *dims[i];
        }
    }
    for (std::size_t i = 1; i < in.size(); ++i)
        total *= *in[i];
    if (unknownAt >= 0) {
        if (known == 0 || total % known != 0)
            return std::nullopt;
        dims[std::size_t(unknownAt)] = total / known;
    } else if (known != total) {
        return std::nullopt;
    }
    out.insert(out.end(), dims.begin(), dims.end());
    return one(std::move(out));
}

// Merge.computeElementwiseOpOutputShape
std::optional<Shape> broadcast(const std::optional<Shape> &a, const std::optional<Shape> &b, bool &ok)
{
    if (!a || !b)
        return std::nullopt;
    if (a->size() < b->size())
        return broadcast(b, a, ok);
    if (b->empty())
        return a;
    Shape out(a->begin(), a->end() - std::ptrdiff_t(b->size()));
    for (std::size_t k = 0; k < b->size(); ++k) {
        const Dim i = (*a)[a->size() - b->size() + k];
        const Dim j = (*b)[k];
        if (!i || !j || *i < 0 || *j < 0)
            out.push_back(std::nullopt);
        else if (*i == 1)
            out.push_back(j);
        else if (*j == 1)
            out.push_back(i);
        else if (*i != *j)
            ok = false;
        else
            out.push_back(i);
    }
    return out;
}

std::optional<Shapes> mergeElementwise(const Shapes &inputs)
{
    if (inputs.size() < 2)
        return std::nullopt;
    bool ok = true;
    std::optional<Shape> rest = Shape(inputs[0].begin() + (inputs[0].empty() ? 0 : 1), inputs[0].end());
    for (std::size_t i = 1; i < inputs.size(); ++i)
        rest = broadcast(rest, Shape(inputs[i].begin() + (inputs[i].empty() ? 0 : 1), inputs[i].end()), ok);
    if (!ok || !rest)
        return std::nullopt;
    std::set<std::int64_t> batches;
    for (const Shape &shape : inputs) {
        if (!shape.empty() && shape[0])
            batches.insert(*shape[0]);
    }
    Shape out = {batches.size() == 1 ? Dim(*batches.begin()) : std::nullopt};
    out.insert(out.end(), rest->begin(), rest->end());
    return one(std::move(out));
}

std::optional<Shapes> concatenate(const Json &config, const Shapes &inputs)
{
    if (inputs.empty())
        return std::nullopt;
    Shape out = inputs[0];
    const std::int64_t axis = intField(config, "axis").value_or(-1);
    const std::int64_t at = axis < 0 ? std::int64_t(out.size()) + axis : axis;
    if (at < 0 || at >= std::int64_t(out.size()))
        return std::nullopt;
    for (std::size_t i = 1; i < inputs.size(); ++i) {
        if (inputs[i].size() != out.size())
            return std::nullopt;
        if (!out[std::size_t(at)] || !inputs[i][std::size_t(at)]) {
            out[std::size_t(at)] = std::nullopt;
            break;
        }
        out[std::size_t(at)] = *out[std::size_t(at)] + *inputs[i][std::size_t(at)];
    }
    return one(std::move(out));
}

std::optional<Shapes> recurrent(const std::string &className, const Json &config, const Shape &in)
{
    const auto units = intField(config, "units");
    if (!units || in.size() < 3)
        return std::nullopt;
    Shape out = boolField(config, "return_sequences", false) ? Shape{in[0], in[1], *units}
                                                             : Shape{in[0], *units};
    Shapes shapes = {out};
    if (boolField(config, "return_state", false)) {
        const int states = className == "LSTM" ? 2 : 1;
        for (int i = 0; i < states; ++i)
            shapes.push_back({in[0], *units});
    }
    return shapes;
}

// A wrapped layer's {class_name, config}.
std::optional<std::pair<std::string, const Json *>> wrapped(const Json &config)
{
    const Json *layer = field(config, "layer");
    if (!layer || !layer->is_object())
        return std::nullopt;
    const Json *name = field(*layer, "class_name");
    const Json *inner = field(*layer, "config");
    if (!name || !name->is_string() || !inner)
        return std::nullopt;
    return std::make_pair(name->get<std::string>(), inner);
}

std::optional<Shapes> bidirectional(const Json &config, const Shape &in)
{
    const auto layer = wrapped(config);
    if (!layer)
        return std::nullopt;
    auto shapes = layerOutputShapes(layer->first, *layer->second, {in});
    if (!shapes || shapes->empty())
        return std::nullopt;
    Shape output = (*shapes)[0];
    const Shapes states(shapes->begin() + 1, shapes->end());
    const bool returnState = boolField(*layer->second, "return_state", false);
    const Json *mode = field(config, "merge_mode");
    const bool noMerge = !mode || mode->is_null();
    Shapes out;
    if (noMerge) {
        out = {output, output};
    } else if (mode->is_string() && mode->get<std::string>() == "concat") {
        output.back() = times(output.back(), 2);
        out = {output};
    } else {
        out = {output};
    }
    if (returnState) {
        out.insert(out.end(), states.begin(), states.end());
        out.insert(out.end(), states.begin(), states.end());
    }
    return out;
}

std::optional<Shapes> timeDistributed(const Json &config, const Shape &in)
{
    const auto layer = wrapped(config);
    if (!layer || in.size() < 3)
        return std::nullopt;
    Shape child = {in[0]};
    child.insert(child.end(), in.begin() + 2, in.end());
    auto shapes = layerOutputShapes(layer->first, *layer->second, {child});
    if (!shapes || shapes->size() != 1 || (*shapes)[0].empty())
        return std::nullopt;
    const Shape &childOut = (*shapes)[0];
    Shape out = {childOut[0], in[1]};
    out.insert(out.end(), childOut.begin() + 1, childOut.end());
    return one(std::move(out));
}

std::optional<Shapes> embedding(const Json &config, const Shape &in)
{
    const auto outputDim = intField(config, "output_dim");
    if (!outputDim || in.empty())
        return std::nullopt;
    const Json *length = field(config, "input_length");
    if (!length || length->is_null()) {
        Shape out = in;
        out.push_back(*outputDim);
        return one(std::move(out));
    }
    std::vector<Dim> lengths;
    if (auto single = intValue(*length)) {
        lengths.push_back(*single);
    } else if (length->is_array()) {
        for (const Json &item : *length)
            lengths.push_back(item.is_null() ? std::nullopt : intValue(item));
    } else {
        return std::nullopt;
    }
    if (lengths.size() != in.size() - 1)
        return std::nullopt;
    for (std::size_t k = 0; k < lengths.size(); ++k) {
        const Dim given = in[k + 1];
        if (lengths[k] && given && *lengths[k] != *given)
            return std::nullopt;
        if (!lengths[k])
            lengths[k] = given;
    }
    Shape out = {in[0]};
    out.insert(out.end(), lengths.begin(), lengths.end());
    out.push_back(*outputDim);
    return one(std::move(out));
}

std::optional<Shapes> padCrop2D(const Json &config, const Shape &in, const char *key, int sign)
{
    if (in.size() != 4)
        return std::nullopt;
    const auto pairs = pairsField(config, key, 2);
    if (!pairs)
        return std::nullopt;
    return resizeSpatial(in, channelsFirst(config), 2, [&](Dim length, std::size_t i) {
        return plus(length, sign * ((*pairs)[i][0] + (*pairs)[i][1]));
    });
}

std::optional<Shapes> upSampling2D(const Json &config, const Shape &in)
{
    if (in.size() != 4)
        return std::nullopt;
    const auto size = intsField(config, "size", 2, Ints{2, 2});
    if (!size)
        return std::nullopt;
    return resizeSpatial(in, channelsFirst(config), 2,
                         [&](Dim length, std::size_t i) { return times(length, (*size)[i]); });
}

const std::set<std::string> &sameShapeClasses()
{
    static const std::set<std::string> names = {
        "Activation", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
        "GaussianNoise", "GaussianDropout", "AlphaDropout", "BatchNormalization",
        "LayerNormalization", "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax",
        "Masking", "ActivityRegularization", "Rescaling", "UnitNormalization", "Identity"};
    return names;
}

} // namespace

std::optional<Shape> shapeFromJson(const Json &json)
{
    if (!json.is_array())
        return std::nullopt;
    Shape shape;
    for (const Json &dim : json) {
        if (dim.is_null()) {
            shape.push_back(std::nullopt);
        } else if (auto v = intValue(dim)) {
            shape.push_back(*v);
        } else {
            return std::nullopt;
        }
    }
    return shape;
}

Json shapesToJson(const std::optional<Shapes> &shapes)
{
    if (!shapes)
        return nullptr;
    Json list = Json::array();
    for (const Shape &shape : *shapes)
        list.push_back(shapeToJson(shape));
    return list;
}

Json shapeToJson(const Shape &shape)
{
    Json json = Json::array();
    for (const Dim &dim : shape)
        json.push_back(dim ? Json(*dim) : Json(nullptr));
    return json;
}

std::string shapeText(const Shape &shape)
{
    return stringify(shapeToJson(shape));
}

std::optional<Shapes> layerOutputShapes(const std::string &className, const Json &config,
                                        const Shapes &inputs)
{
    if (inputs.empty())
        return std::nullopt;
    const Shape &in = inputs[0];
    if (sameShapeClasses().contains(className))
        return inputs.size() == 1 ? one(in) : std::nullopt;
    if (className == "Add" || className == "Subtract" || className == "Multiply"
        || className == "Average" || className == "Maximum" || className == "Minimum")
        return mergeElementwise(inputs);
    if (className == "Concatenate")
        return concatenate(config, inputs);
    if (inputs.size() != 1)
        return std::nullopt;
    if (className == "Dense") {
        const auto units = intField(config, "units");
        if (!units || in.empty())
            return std::nullopt;
        Shape out = in;
        out.back() = *units;
        return one(std::move(out));
    }
    if (className == "Flatten") {
        if (in.empty())
            return std::nullopt;
        std::int64_t product = 1;
        for (std::size_t i = 1; i < in.size(); ++i) {
            if (!in[i])
                return std::nullopt;
            product *= *in[i];
        }
        return one({in[0], product});
    }
    if (className == "Reshape")
        return reshape(config, in);
    if (className == "Permute") {
        const Json *dims = field(config, "dims");
        if (!dims || !dims->is_array() || dims->size() + 1 != in.size())
            return std::nullopt;
        Shape out = in;
        for (std::size_t i = 0; i < dims->size(); ++i) {
            const auto d = intValue((*dims)[i]);
            if (!d || *d < 1 || *d >= std::int64_t(in.size()))
                return std::nullopt;
            out[i + 1] = in[std::size_t(*d)];
        }
        return one(std::move(out));
    }
    if (className == "RepeatVector") {
        const auto n = intField(config, "n");
        if (!n || in.size() != 2)
            return std::nullopt;
        return one({in[0], *n, in[1]});
    }
    if (className == "Embedding")
        return embedding(config, in);
    if (className == "SimpleRNN" || className == "GRU" || className == "LSTM")
        return recurrent(className, config, in);
    if (className == "Bidirectional")
        return bidirectional(config, in);
    if (className == "TimeDistributed")
        return timeDistributed(config, in);
    if (className.rfind("Global", 0) == 0 && className.find("Pooling") != std::string::npos)
        return globalPooling(config, in);
    if (className.find("Pooling") != std::string::npos)
        return pooling(className, config, in);
    if (className.rfind("Conv", 0) == 0 || className.rfind("SeparableConv", 0) == 0
        || className.rfind("DepthwiseConv", 0) == 0) {
        if (className.rfind("ConvLSTM", 0) == 0)
            return std::nullopt;
        return convolution(className, config, in);
    }
    if (className == "ZeroPadding2D")
        return padCrop2D(config, in, "padding", 1);
    if (className == "Cropping2D")
        return padCrop2D(config, in, "cropping", -1);
    if (className == "UpSampling2D")
        return upSampling2D(config, in);
    return std::nullopt;
}

} // namespace tfjs
