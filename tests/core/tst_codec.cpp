// Weight codec: TF.js 4.22's decodeWeights/encodeWeights (tfjs-core/src/io/io_utils.ts) and the
// Python converter's quantize_weights. Expected values are literals taken from TF.js 4.22 in
// Node (decodeWeights/encodeWeights) and from numpy (astype(float16), quantize_weights).
#include "format/codec.h"
#include "format/weightlayout.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

using namespace tfjs;

namespace {

using Values = decltype(Tensor::values);
using Specs = std::vector<WeightSpec>;
using Tensors = std::vector<Tensor>;

WeightSpec makeSpec(std::string name, std::vector<std::int64_t> shape, DType dtype,
                    std::optional<Quantization> quantization = std::nullopt)
{
    WeightSpec spec;
    spec.name = std::move(name);
    spec.shape = std::move(shape);
    spec.dtype = dtype;
    spec.quantization = quantization;
    return spec;
}

Quantization affine(QuantDType dtype, double min, double scale)
{
    return Quantization{dtype, min, scale};
}

Quantization half16()
{
    return Quantization{QuantDType::Float16, std::nullopt, std::nullopt};
}

template <typename T>
QByteArray rawBytes(const std::vector<T> &values)
{
    QByteArray out(static_cast<qsizetype>(values.size() * sizeof(T)), Qt::Uninitialized);
    if (!values.empty())
        std::memcpy(out.data(), values.data(), static_cast<std::size_t>(out.size()));
    return out;
}

QByteArray f32(const std::vector<float> &values) { return rawBytes(values); }
QByteArray i32(const std::vector<std::int32_t> &values) { return rawBytes(values); }
QByteArray u16(const std::vector<std::uint16_t> &values) { return rawBytes(values); }
QByteArray u32(const std::vector<std::uint32_t> &values) { return rawBytes(values); }

QByteArray u8(std::initializer_list<int> values)
{
    QByteArray out;
    for (const int value : values)
        out.append(static_cast<char>(value));
    return out;
}

float fromBits(std::uint32_t bits)
{
    return std::bit_cast<float>(bits);
}

// Values as comparable bytes: floats bit for bit (NaN payloads, -0), strings length-prefixed.
QByteArray valueBytes(const Values &values)
{
    switch (values.index()) {
    case 0: return rawBytes(std::get<0>(values));
    case 1: return rawBytes(std::get<1>(values));
    case 2: return rawBytes(std::get<2>(values));
    default: {
        QByteArray out;
        for (const std::string &s : std::get<3>(values)) {
            out += u32({static_cast<std::uint32_t>(s.size())});
            out.append(s.data(), static_cast<qsizetype>(s.size()));
        }
        return out;
    }
    }
}

const std::string kCyrillic = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"; // Привет
const std::string kCjk = "\xE4\xBD\xA0\xE5\xA5\xBD\xE4\xB8\x96\xE7\x95\x8C";     // 你好世界

// "", Привет, 你好世界 as TF.js 4.22's encodeWeights writes them.
QByteArray tfjsStrings()
{
    return u8({0,   0,   0,   0,   12,  0,   0,   0,   208, 159, 209, 128, 208, 184, 208, 178,
               208, 181, 209, 130, 12,  0,   0,   0,   228, 189, 160, 229, 165, 189, 228, 184,
               150, 231, 149, 140});
}

constexpr qint64 kNoOffset = -1;

} // namespace

Q_DECLARE_METATYPE(WeightSpec)
Q_DECLARE_METATYPE(Values)
Q_DECLARE_METATYPE(Specs)
Q_DECLARE_METATYPE(Tensors)
Q_DECLARE_METATYPE(ErrorCode)
Q_DECLARE_METATYPE(QuantDType)
Q_DECLARE_METATYPE(std::vector<float>)

class TestCodec : public QObject
{
    Q_OBJECT

private slots:
    void halfToFloatBits_data();
    void halfToFloatBits();
    void halfToFloatValues();
    void floatToHalf_data();
    void floatToHalf();
    void halfRoundTripAllPatterns();

    void roundTrip_data();
    void roundTrip();
    void stringOffsets();
    void tfjsStringBytes();
    void mathRoundHalves_data();
    void mathRoundHalves();
    void float32Rounding_data();
    void float32Rounding();

    void converterQuantization_data();
    void converterQuantization();
    void converterFloat16();

    void decodeErrors_data();
    void decodeErrors();
    void decodeTensorErrors();
    void encodeErrors_data();
    void encodeErrors();
    void encodedSpecs();
};

void TestCodec::halfToFloatBits_data()
{
    QTest::addColumn<quint16>("half");
    QTest::addColumn<quint32>("bits");
    // Bits TF.js 4.22's float16 decoder produces.
    QTest::newRow("0.25") << quint16(0x3400) << quint32(0x3e800000);
    QTest::newRow("0.5") << quint16(0x3800) << quint32(0x3f000000);
    QTest::newRow("0.75") << quint16(0x3A00) << quint32(0x3f400000);
    QTest::newRow("+Inf") << quint16(0x7C00) << quint32(0x7f800000);
    QTest::newRow("-Inf") << quint16(0xFC00) << quint32(0xff800000);
    QTest::newRow("NaN") << quint16(0x7E00) << quint32(0x7fc00000);
    QTest::newRow("-NaN") << quint16(0xFE00) << quint32(0xffc00000);
    QTest::newRow("NaN payload") << quint16(0x7C01) << quint32(0x7f802000);
    QTest::newRow("-0") << quint16(0x8000) << quint32(0x80000000);
    QTest::newRow("+0") << quint16(0x0000) << quint32(0x00000000);
    QTest::newRow("smallest subnormal") << quint16(0x0001) << quint32(0x33800000);
    QTest::newRow("largest subnormal") << quint16(0x03FF) << quint32(0x387fc000);
    QTest::newRow("smallest normal") << quint16(0x0400) << quint32(0x38800000);
    QTest::newRow("largest normal") << quint16(0x7BFF) << quint32(0x477fe000);
    QTest::newRow("1") << quint16(0x3C00) << quint32(0x3f800000);
    QTest::newRow("-2") << quint16(0xC000) << quint32(0xc0000000);
}

void TestCodec::halfToFloatBits()
{
    QFETCH(quint16, half);
    QFETCH(quint32, bits);
    QCOMPARE(std::bit_cast<std::uint32_t>(halfToFloat(half)), bits);
}

void TestCodec::halfToFloatValues()
{
    QCOMPARE(double(halfToFloat(0x0001)), 5.960464477539063e-8);
    QCOMPARE(double(halfToFloat(0x03FF)), 6.097555160522461e-5);
    QCOMPARE(double(halfToFloat(0x7BFF)), 65504.0);
    QVERIFY(std::isnan(halfToFloat(0x7E00)));
    QVERIFY(std::signbit(halfToFloat(0x8000)));
    QCOMPARE(halfToFloat(0x7C00), std::numeric_limits<float>::infinity());
}

void TestCodec::floatToHalf_data()
{
    QTest::addColumn<quint32>("bits");
    QTest::addColumn<quint16>("half");
    // Expected halves: numpy's float32.astype(float16).
    QTest::newRow("0.1") << quint32(0x3dcccccd) << quint16(0x2e66);
    QTest::newRow("-2") << quint32(0xc0000000) << quint16(0xc000);
    QTest::newRow("65504") << quint32(0x477fe000) << quint16(0x7bff);
    QTest::newRow("65519.996 rounds down") << quint32(0x477fefff) << quint16(0x7bff);
    QTest::newRow("65520 ties to Inf") << quint32(0x477ff000) << quint16(0x7c00);
    QTest::newRow("70000 overflows") << quint32(0x4788b800) << quint16(0x7c00);
    QTest::newRow("FLT_MAX overflows") << quint32(0x7f7fffff) << quint16(0x7c00);
    QTest::newRow("3.14159") << quint32(0x40490fd0) << quint16(0x4248);
    QTest::newRow("1e-7 subnormal") << quint32(0x33d6bf95) << quint16(0x0002);
    QTest::newRow("1e-8 to zero") << quint32(0x322bcc77) << quint16(0x0000);
    QTest::newRow("2^-25 ties to zero") << quint32(0x33000000) << quint16(0x0000);
    QTest::newRow("just above 2^-25") << quint32(0x33000001) << quint16(0x0001);
    QTest::newRow("1.5 units ties to 2") << quint32(0x33c00000) << quint16(0x0002);
    QTest::newRow("2.5 units ties to 2") << quint32(0x34200000) << quint16(0x0002);
    QTest::newRow("subnormal carries to normal") << quint32(0x387fe000) << quint16(0x0400);
    QTest::newRow("largest subnormal") << quint32(0x387fdfff) << quint16(0x03ff);
    QTest::newRow("1+2^-11 ties to even") << quint32(0x3f801000) << quint16(0x3c00);
    QTest::newRow("1+3*2^-11 ties to even") << quint32(0x3f803000) << quint16(0x3c02);
    QTest::newRow("-0") << quint32(0x80000000) << quint16(0x8000);
    QTest::newRow("-Inf") << quint32(0xff800000) << quint16(0xfc00);
    QTest::newRow("NaN") << quint32(0x7fc00000) << quint16(0x7e00);
    QTest::newRow("-NaN") << quint32(0xffc00000) << quint16(0xfe00);
    QTest::newRow("NaN with low payload stays NaN") << quint32(0x7f800001) << quint16(0x7c01);
}

void TestCodec::floatToHalf()
{
    QFETCH(quint32, bits);
    QFETCH(quint16, half);
    QCOMPARE(tfjs::floatToHalf(fromBits(bits)), half);
}

void TestCodec::halfRoundTripAllPatterns()
{
    int mismatches = 0;
    for (std::uint32_t h = 0; h <= 0xffff; ++h) {
        if (tfjs::floatToHalf(halfToFloat(static_cast<std::uint16_t>(h))) != h)
            ++mismatches;
    }
    QCOMPARE(mismatches, 0);
}

void TestCodec::roundTrip_data()
{
    QTest::addColumn<WeightSpec>("spec");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Values>("expected");
    QTest::addColumn<QByteArray>("reencoded"); // what encodeWeights writes back

    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> floats{1.5f, -0.0f, 3.4e38f, -inf, nan, 1e-45f};
    QTest::newRow("float32") << makeSpec("f", {2, 3}, DType::Float32) << f32(floats)
                             << Values(floats) << f32(floats);
    QTest::newRow("float32 scalar") << makeSpec("s", {}, DType::Float32) << f32({42.0f})
                                    << Values(std::vector<float>{42.0f}) << f32({42.0f});
    QTest::newRow("float32 empty") << makeSpec("e", {0, 3}, DType::Float32) << QByteArray()
                                   << Values(std::vector<float>{}) << QByteArray();
    const std::vector<std::int32_t> ints{-1, 0, std::numeric_limits<std::int32_t>::max(),
                                         std::numeric_limits<std::int32_t>::min()};
    QTest::newRow("int32") << makeSpec("i", {4}, DType::Int32) << i32(ints) << Values(ints)
                           << i32(ints);
    QTest::newRow("bool") << makeSpec("b", {2, 2}, DType::Bool) << u8({0, 1, 1, 0})
                          << Values(std::vector<std::uint8_t>{0, 1, 1, 0}) << u8({0, 1, 1, 0});
    // TF.js keeps the raw bytes of a bool Uint8Array (no 0/1 normalization).
    QTest::newRow("bool raw bytes") << makeSpec("b", {4}, DType::Bool) << u8({0, 1, 2, 255})
                                    << Values(std::vector<std::uint8_t>{0, 1, 2, 255})
                                    << u8({0, 1, 2, 255});
    QTest::newRow("complex64") << makeSpec("c", {2}, DType::Complex64) << f32({1, 2, 3, 4})
                               << Values(std::vector<float>{1, 2, 3, 4}) << f32({1, 2, 3, 4});
    QTest::newRow("string") << makeSpec("s", {3}, DType::String) << tfjsStrings()
                            << Values(std::vector<std::string>{"", kCyrillic, kCjk})
                            << tfjsStrings();
    const QByteArray strings22 = u32({1}) + "a" + u32({0}) + u32({2}) + "bc" + u32({3}) + "def";
    QTest::newRow("string 2x2") << makeSpec("s", {2, 2}, DType::String) << strings22
                                << Values(std::vector<std::string>{"a", "", "bc", "def"})
                                << strings22;
    const QByteArray nul = u32({3}) + QByteArray("a\0b", 3);
    QTest::newRow("string with NUL") << makeSpec("s", {}, DType::String) << nul
                                     << Values(std::vector<std::string>{std::string("a\0b", 3)})
                                     << nul;

    // TF.js io_utils_test: min -1, scale 0.1, [0, 48, 255] -> [-1, 3.8, 24.5] / [-1, 4, 25].
    const std::vector<float> dequantized{fromBits(0xbf800000), fromBits(0x40733333),
                                         fromBits(0x41c40000)};
    QTest::newRow("tfjs uint8 float32")
        << makeSpec("q", {3}, DType::Float32, affine(QuantDType::UInt8, -1, 0.1))
        << u8({0, 48, 255}) << Values(dequantized) << u8({0, 48, 255});
    QTest::newRow("tfjs uint16 float32")
        << makeSpec("q", {3}, DType::Float32, affine(QuantDType::UInt16, -1, 0.1))
        << u16({0, 48, 255}) << Values(dequantized) << u16({0, 48, 255});
    // Re-encoding int32 is lossy: (4 + 1) / 0.1 = 50, and 25 -> 260 clips to 255 for uint8.
    QTest::newRow("tfjs uint8 int32")
        << makeSpec("q", {3}, DType::Int32, affine(QuantDType::UInt8, -1, 0.1)) << u8({0, 48, 255})
        << Values(std::vector<std::int32_t>{-1, 4, 25}) << u8({0, 50, 255});
    QTest::newRow("tfjs uint16 int32")
        << makeSpec("q", {3}, DType::Int32, affine(QuantDType::UInt16, -1, 0.1))
        << u16({0, 48, 255}) << Values(std::vector<std::int32_t>{-1, 4, 25}) << u16({0, 50, 260});
    // 0.1, 0.3, 0.5, 0.7 as TF.js computes them (v * 0.2 + 0.1 stored as float32).
    QTest::newRow("uint8 float32 positive min")
        << makeSpec("q", {4}, DType::Float32, affine(QuantDType::UInt8, 0.1, 0.2))
        << u8({0, 1, 2, 3})
        << Values(std::vector<float>{fromBits(0x3dcccccd), fromBits(0x3e99999a),
                                     fromBits(0x3f000000), fromBits(0x3f333333)})
        << u8({0, 1, 2, 3});
    const std::vector<std::uint16_t> halves{0x3400, 0x3800, 0x3A00, 0x7C00, 0xFC00, 0x7E00,
                                            0x8000, 0x0001, 0x03FF, 0x7BFF};
    QTest::newRow("float16 specials")
        << makeSpec("h", {10}, DType::Float32, half16()) << u16(halves)
        << Values(std::vector<float>{0.25f, 0.5f, 0.75f, inf, -inf, fromBits(0x7fc00000), -0.0f,
                                     fromBits(0x33800000), fromBits(0x387fc000), 65504.0f})
        << u16(halves);
}

void TestCodec::roundTrip()
{
    QFETCH(WeightSpec, spec);
    QFETCH(QByteArray, bytes);
    QFETCH(Values, expected);
    QFETCH(QByteArray, reencoded);

    const Result<Tensor> single = decodeTensor(spec, bytes.constData(), bytes.size());
    QVERIFY2(single, qPrintable(single ? QString() : single.error().toString()));
    QCOMPARE(single->values.index(), expected.index());
    QCOMPARE(valueBytes(single->values), valueBytes(expected));
    QCOMPARE(single->spec.name, spec.name);

    const Result<std::vector<Tensor>> all = decodeWeights({spec}, bytes);
    QVERIFY2(all, qPrintable(all ? QString() : all.error().toString()));
    QCOMPARE(all->size(), std::size_t(1));
    QCOMPARE(valueBytes(all->front().values), valueBytes(expected));

    const auto layout = checkWeightLayout({spec}, WeightData::fromBytes(bytes));
    QVERIFY(layout);
    QCOMPARE(layout->front().bytes, qint64(bytes.size()));

    const Result<EncodedWeights> encoded = encodeWeights(*all);
    QVERIFY2(encoded, qPrintable(encoded ? QString() : encoded.error().toString()));
    QCOMPARE(encoded->data, reencoded);
    QCOMPARE(encoded->specs.size(), std::size_t(1));
    QCOMPARE(encoded->specs.front().name, spec.name);
    QCOMPARE(encoded->specs.front().shape, spec.shape);
    QCOMPARE(encoded->specs.front().dtype, spec.dtype);
    QCOMPARE(encoded->specs.front().quantization.has_value(), spec.quantization.has_value());
}

void TestCodec::stringOffsets()
{
    // float32 [1] | string [3] | int32 [1]: the strings start at 4, the int at 40.
    const Tensors tensors{
        Tensor{makeSpec("f", {1}, DType::Float32), std::vector<float>{1.5f}},
        Tensor{makeSpec("s", {3}, DType::String), std::vector<std::string>{"", kCyrillic, kCjk}},
        Tensor{makeSpec("i", {1}, DType::Int32), std::vector<std::int32_t>{7}},
    };
    const Result<EncodedWeights> encoded = encodeWeights(tensors);
    QVERIFY(encoded);
    const QByteArray &data = encoded->data;
    QCOMPARE(data.size(), 44);
    QCOMPARE(data.mid(0, 4), f32({1.5f}));
    QCOMPARE(data.mid(4, 4), u32({0}));  // ""
    QCOMPARE(data.mid(8, 4), u32({12})); // Привет: 6 letters, 12 UTF-8 bytes
    QCOMPARE(data.mid(12, 12), QByteArray::fromStdString(kCyrillic));
    QCOMPARE(data.mid(24, 4), u32({12})); // 你好世界: 4 characters, 12 UTF-8 bytes
    QCOMPARE(data.mid(28, 12), QByteArray::fromStdString(kCjk));
    QCOMPARE(data.mid(40, 4), i32({7}));

    const auto layout = checkWeightLayout(encoded->specs, WeightData::fromBytes(data));
    QVERIFY(layout);
    QCOMPARE((*layout)[1].offset, qint64(4));
    QCOMPARE((*layout)[1].bytes, qint64(36));

    const Result<std::vector<Tensor>> decoded = decodeWeights(encoded->specs, data);
    QVERIFY(decoded);
    QCOMPARE(decoded->size(), std::size_t(3));
    QCOMPARE(std::get<3>((*decoded)[1].values),
             (std::vector<std::string>{"", kCyrillic, kCjk}));
    QCOMPARE(std::get<1>((*decoded)[2].values), std::vector<std::int32_t>{7});
}

void TestCodec::tfjsStringBytes()
{
    // TF.js 4.22: encodeWeights({s: tensor(['', 'Привет', '你好世界']), f: tensor([1.5])}).
    const Tensors tensors{
        Tensor{makeSpec("s", {3}, DType::String), std::vector<std::string>{"", kCyrillic, kCjk}},
        Tensor{makeSpec("f", {1}, DType::Float32), std::vector<float>{1.5f}},
    };
    const Result<EncodedWeights> encoded = encodeWeights(tensors);
    QVERIFY(encoded);
    QCOMPARE(encoded->data, tfjsStrings() + u8({0, 0, 192, 63}));
}

void TestCodec::mathRoundHalves_data()
{
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("scale");
    QTest::addColumn<int>("quantized");
    QTest::addColumn<int>("expected");
    // Expected: TF.js 4.22 decodeWeights (Math.round, then Int32Array's ToInt32).
    QTest::newRow("2.5 -> 3") << 0.0 << 0.5 << 5 << 3;
    QTest::newRow("0.5 -> 1") << 0.0 << 0.5 << 1 << 1;
    QTest::newRow("1.5 -> 2") << 0.0 << 0.5 << 3 << 2;
    QTest::newRow("-2.5 -> -2") << -5.0 << 0.5 << 5 << -2;
    QTest::newRow("-3.5 -> -3") << -5.0 << 0.5 << 3 << -3;
    QTest::newRow("-4.5 -> -4") << -5.0 << 0.5 << 1 << -4;
    QTest::newRow("-0.5 -> -0 -> 0") << -5.0 << 0.5 << 9 << 0;
    QTest::newRow("0 -> 0") << -5.0 << 0.5 << 10 << 0;
    QTest::newRow("2.5 from -5") << -5.0 << 0.5 << 15 << 3;
    QTest::newRow("0.49999999999999994 -> 0") << 0.49999999999999994 << 1.0 << 0 << 0;
    QTest::newRow("1 + 0.49999999999999994 is 1.5 -> 2") << 0.49999999999999994 << 1.0 << 1 << 2;
    QTest::newRow("2^31 wraps") << 2147483648.0 << 1.0 << 0 << std::numeric_limits<int>::min();
    QTest::newRow("2^31 + 1 wraps") << 2147483648.0 << 1.0 << 1 << -2147483647;
    QTest::newRow("-2^31 - 1 wraps") << -2147483649.0 << 1.0 << 0 << 2147483647;
    QTest::newRow("1e300 wraps to 0") << 1e300 << 1e300 << 1 << 0;
}

void TestCodec::mathRoundHalves()
{
    QFETCH(double, min);
    QFETCH(double, scale);
    QFETCH(int, quantized);
    QFETCH(int, expected);
    const WeightSpec spec = makeSpec("r", {1}, DType::Int32, affine(QuantDType::UInt8, min, scale));
    const QByteArray bytes = u8({quantized});
    const Result<Tensor> tensor = decodeTensor(spec, bytes.constData(), bytes.size());
    QVERIFY(tensor);
    QCOMPARE(std::get<1>(tensor->values), std::vector<std::int32_t>{expected});
}

void TestCodec::float32Rounding_data()
{
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("scale");
    QTest::addColumn<int>("quantized");
    QTest::addColumn<quint32>("bits");
    // Expected: TF.js 4.22 (Float32Array store = Math.fround).
    QTest::newRow("halfway above FLT_MAX -> Inf") << 3.4028235677973366e+38 << 1.0 << 0
                                                  << quint32(0x7f800000);
    QTest::newRow("just below halfway -> FLT_MAX") << 3.4028235677973362e+38 << 1.0 << 0
                                                   << quint32(0x7f7fffff);
    QTest::newRow("-halfway -> -Inf") << -3.4028235677973366e+38 << 1.0 << 0 << quint32(0xff800000);
    QTest::newRow("1e38 * 4 -> Inf") << 0.0 << 1e38 << 4 << quint32(0x7f800000);
    QTest::newRow("tiny -> 0") << 1e-46 << 1e-46 << 1 << quint32(0);
    QTest::newRow("0.1 * 2 + 0.1 -> 0.3f") << 0.1 << 0.1 << 2 << quint32(0x3e99999a);
}

void TestCodec::float32Rounding()
{
    QFETCH(double, min);
    QFETCH(double, scale);
    QFETCH(int, quantized);
    QFETCH(quint32, bits);
    const WeightSpec spec =
        makeSpec("r", {1}, DType::Float32, affine(QuantDType::UInt8, min, scale));
    const QByteArray bytes = u8({quantized});
    const Result<Tensor> tensor = decodeTensor(spec, bytes.constData(), bytes.size());
    QVERIFY(tensor);
    QCOMPARE(std::bit_cast<std::uint32_t>(std::get<0>(tensor->values).at(0)), bits);
}

void TestCodec::converterQuantization_data()
{
    QTest::addColumn<std::vector<float>>("values");
    QTest::addColumn<QuantDType>("dtype");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("scale");
    QTest::addColumn<QByteArray>("bytes");
    // Expected: the converter's quantize_weights run with numpy (float64 arithmetic, as under
    // NumPy 2's promotion rules; NumPy 1 computes (clip(x) - min) / scale in float32 and gives
    // 110 / 28398 for the 0.3 below).
    QTest::newRow("uint8 nudged")
        << std::vector<float>{-1.0f, -0.5f, 0.0f, 0.3f, 2.0f} << QuantDType::UInt8 << -1.0
        << 0.011764705882352941 << u8({0, 42, 85, 111, 255});
    QTest::newRow("uint16 nudged")
        << std::vector<float>{-1.0f, -0.5f, 0.0f, 0.3f, 2.0f} << QuantDType::UInt16 << -1.0
        << 4.5777065690089265e-05 << u16({0, 10922, 21845, 28399, 65535});
    QTest::newRow("uint8 all positive, no nudge")
        << std::vector<float>{0.5f, 1.0f, 2.5f, 1.7f} << QuantDType::UInt8 << 0.5
        << 0.00784313725490196 << u8({0, 64, 255, 153});
    QTest::newRow("uint16 all negative, no nudge")
        << std::vector<float>{-3.0f, -2.25f, -0.1f} << QuantDType::UInt16 << -3.0
        << 4.4251163477681906e-05 << u16({0, 16949, 65535});
    QTest::newRow("uint8 nudged min")
        << std::vector<float>{-0.123f, 0.456f, 0.789f, -1.5f, 0.0f} << QuantDType::UInt8
        << -1.4990705716843697 << 0.008976470489127962 << u8({153, 218, 255, 0, 167});
    QTest::newRow("uint8 all equal") << std::vector<float>{3.0f, 3.0f, 3.0f} << QuantDType::UInt8
                                     << 3.0 << 1.0 << u8({0, 0, 0});
    QTest::newRow("uint16 all equal") << std::vector<float>{-0.25f, -0.25f} << QuantDType::UInt16
                                      << -0.25 << 1.0 << u16({0, 0});
}

void TestCodec::converterQuantization()
{
    QFETCH(std::vector<float>, values);
    QFETCH(QuantDType, dtype);
    QFETCH(double, min);
    QFETCH(double, scale);
    QFETCH(QByteArray, bytes);

    const QuantizedData q = quantizeAffine(values, dtype);
    QCOMPARE(q.quantization.dtype, dtype);
    QVERIFY(q.quantization.min && q.quantization.scale);
    QCOMPARE(*q.quantization.min, min);
    QCOMPARE(*q.quantization.scale, scale);
    QCOMPARE(q.bytes, bytes);

    // Dequantized back within one quantization step (the nudged range covers the data here).
    const WeightSpec spec =
        makeSpec("q", {std::int64_t(values.size())}, DType::Float32, q.quantization);
    const Result<Tensor> tensor = decodeTensor(spec, q.bytes.constData(), q.bytes.size());
    QVERIFY(tensor);
    const auto &decoded = std::get<0>(tensor->values);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double error = std::abs(double(decoded[i]) - double(values[i]));
        QVERIFY2(error <= scale / 2 + 1e-6,
                 qPrintable(QStringLiteral("value %1: %2 decoded as %3")
                                .arg(QString::number(i), QString::number(values[i]),
                                     QString::number(decoded[i]))));
    }
    // Zero is exact whenever the data spans it (the nudge).
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] == 0.0f)
            QCOMPARE(decoded[i], 0.0f);
    }
    // Encoding the decoded values with the same spec gives the quantized bytes again.
    const Result<EncodedWeights> encoded = encodeWeights({*tensor});
    QVERIFY(encoded);
    QCOMPARE(encoded->data, bytes);
}

void TestCodec::converterFloat16()
{
    // numpy: np.array([...], np.float32).astype(np.float16)
    const std::vector<float> values{0.1f, -2.0f, 65504.0f, 1e-7f, 3.14159f, 70000.0f, -0.0f, 1e-8f};
    const QuantizedData q = quantizeFloat16(values);
    QCOMPARE(q.quantization.dtype, QuantDType::Float16);
    QVERIFY(!q.quantization.min);
    QVERIFY(!q.quantization.scale);
    QCOMPARE(q.bytes, u16({0x2e66, 0xc000, 0x7bff, 0x0002, 0x4248, 0x7c00, 0x8000, 0x0000}));
    QCOMPARE(quantizeAffine(values, QuantDType::Float16).bytes, q.bytes);

    const WeightSpec spec = makeSpec("h", {8}, DType::Float32, q.quantization);
    const Result<Tensor> tensor = decodeTensor(spec, q.bytes.constData(), q.bytes.size());
    QVERIFY(tensor);
    const auto &decoded = std::get<0>(tensor->values);
    QCOMPARE(decoded[0], 0.0999755859375f); // nearest half to 0.1
    QCOMPARE(decoded[1], -2.0f);
    QCOMPARE(decoded[2], 65504.0f);
    QCOMPARE(decoded[5], std::numeric_limits<float>::infinity());
    QVERIFY(std::signbit(decoded[6]));
    // Within half a half-precision ulp for the normal, in-range values.
    for (const std::size_t i : {0u, 1u, 2u, 4u}) {
        const float ulp = std::nextafter(decoded[i], std::numeric_limits<float>::infinity()) -
                          decoded[i];
        QVERIFY(std::abs(decoded[i] - values[i]) <= ulp * 8192 / 2);
    }
}

void TestCodec::decodeErrors_data()
{
    QTest::addColumn<Specs>("specs");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<qint64>("offset");

    QTest::newRow("short data")
        << Specs{makeSpec("f", {3}, DType::Float32)} << QByteArray(8, 'x') << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: tensor 'f' starts at byte 0 and needs 12 "
                          "bytes, but the data ends at byte 8.")
        << QStringLiteral("f") << qint64(0);
    QTest::newRow("short in second tensor")
        << Specs{makeSpec("a", {1}, DType::Float32), makeSpec("b", {2}, DType::Int32)}
        << QByteArray(9, 'x') << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: tensor 'b' starts at byte 4 and needs 8 "
                          "bytes, but the data ends at byte 9.")
        << QStringLiteral("b") << qint64(4);
    QTest::newRow("short quantized")
        << Specs{makeSpec("q", {3}, DType::Float32, affine(QuantDType::UInt16, 0, 1))}
        << QByteArray(5, 'x') << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: tensor 'q' starts at byte 0 and needs 6 "
                          "bytes, but the data ends at byte 5.")
        << QStringLiteral("q") << qint64(0);
    QTest::newRow("no data for a scalar")
        << Specs{makeSpec("b", {}, DType::Bool)} << QByteArray() << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: tensor 'b' starts at byte 0 and needs 1 "
                          "byte, but the data ends at byte 0.")
        << QStringLiteral("b") << qint64(0);
    QTest::newRow("trailing bytes")
        << Specs{makeSpec("a", {1}, DType::Float32)} << QByteArray(7, 'x') << ErrorCode::Weights
        << QStringLiteral("The weight data is too long: 3 bytes follow the last tensor 'a', which "
                          "ends at byte 4; the data ends at byte 7.")
        << QStringLiteral("a") << qint64(4);
    QTest::newRow("one trailing byte")
        << Specs{makeSpec("a", {1}, DType::Float32), makeSpec("z", {0}, DType::Int32)}
        << QByteArray(5, 'x') << ErrorCode::Weights
        << QStringLiteral("The weight data is too long: 1 byte follows the last tensor 'z', which "
                          "ends at byte 4; the data ends at byte 5.")
        << QStringLiteral("z") << qint64(4);
    QTest::newRow("data but no specs")
        << Specs{} << QByteArray(2, 'x') << ErrorCode::Weights
        << QStringLiteral("The weight data is too long: the specs list no tensors; the data ends "
                          "at byte 2.")
        << QString() << qint64(0);
    // float32 [1] then strings "ab" and a prefix at offset 10 claiming 100 bytes with 1 left.
    QTest::newRow("string length overrun")
        << Specs{makeSpec("f", {1}, DType::Float32), makeSpec("s", {2}, DType::String)}
        << f32({1}) + u32({2}) + "ab" + u32({100}) + "x" << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: the length prefix of string element 1 of "
                          "tensor 's' (which starts at byte 4) at byte 10 says 100 bytes, which "
                          "would end at byte 114, but the data ends at byte 15.")
        << QStringLiteral("s") << qint64(10);
    QTest::newRow("string length 0xFFFFFFFF")
        << Specs{makeSpec("s", {1}, DType::String)} << u32({0xFFFFFFFFu}) << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: the length prefix of string element 0 of "
                          "tensor 's' (which starts at byte 0) at byte 0 says 4294967295 bytes, "
                          "which would end at byte 4294967299, but the data ends at byte 4.")
        << QStringLiteral("s") << qint64(0);
    QTest::newRow("string prefix cut")
        << Specs{makeSpec("s", {2}, DType::String)} << u32({1}) + "a" + u8({0, 0, 0})
        << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: string element 1 of tensor 's' (which "
                          "starts at byte 0) needs a 4-byte length prefix at byte 5, but the data "
                          "ends at byte 8.")
        << QStringLiteral("s") << qint64(5);
    QTest::newRow("fewer bytes than the string prefixes")
        << Specs{makeSpec("s", {2}, DType::String)} << u32({1}) + "a" + u8({0, 0})
        << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: string tensor 's' starts at byte 0 and "
                          "needs at least 8 bytes, a 4-byte length prefix for each of its 2 "
                          "elements, but the data ends at byte 7.")
        << QStringLiteral("s") << qint64(0);
    QTest::newRow("giant float shape, tiny data")
        << Specs{makeSpec("g", {1000000000000}, DType::Float32)} << QByteArray(8, 'x')
        << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: tensor 'g' starts at byte 0 and needs "
                          "4000000000000 bytes, but the data ends at byte 8.")
        << QStringLiteral("g") << qint64(0);
    QTest::newRow("giant string shape, tiny data")
        << Specs{makeSpec("s", {1000000, 1000000}, DType::String)} << u32({0, 0})
        << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: string tensor 's' starts at byte 0 and "
                          "needs at least 4000000000000 bytes, a 4-byte length prefix for each of "
                          "its 1000000000000 elements, but the data ends at byte 8.")
        << QStringLiteral("s") << qint64(0);
    QTest::newRow("element count overflow")
        << Specs{makeSpec("o", {4611686018427387904, 4}, DType::Float32)} << QByteArray(8, 'x')
        << ErrorCode::Format
        << QStringLiteral("Weight 'o' has an invalid shape: [4611686018427387904,4] holds more "
                          "than 2^63 - 1 elements.")
        << QStringLiteral("o") << kNoOffset;
    QTest::newRow("byte size overflow")
        << Specs{makeSpec("o", {2305843009213693952}, DType::Complex64)} << QByteArray(8, 'x')
        << ErrorCode::Format
        << QStringLiteral("Weight 'o' is too large: its 2305843009213693952 elements take more "
                          "than 2^63 - 1 bytes.")
        << QStringLiteral("o") << kNoOffset;
    QTest::newRow("negative dimension")
        << Specs{makeSpec("n", {2, -1}, DType::Float32)} << QByteArray(8, 'x') << ErrorCode::Format
        << QStringLiteral("Weight 'n' has an invalid shape: [2,-1] has a negative dimension.")
        << QStringLiteral("n") << kNoOffset;
    QTest::newRow("float16 on int32")
        << Specs{makeSpec("h", {1}, DType::Int32, half16())} << QByteArray(2, 'x')
        << ErrorCode::Unsupported
        << QStringLiteral("Weight h is quantized with float16 which only supports weights of type "
                          "float32 not int32.")
        << QStringLiteral("h") << kNoOffset;
    QTest::newRow("float16 on string")
        << Specs{makeSpec("h", {1}, DType::String, half16())} << QByteArray(2, 'x')
        << ErrorCode::Unsupported
        << QStringLiteral("Weight h is quantized with float16 which only supports weights of type "
                          "float32 not string.")
        << QStringLiteral("h") << kNoOffset;
    QTest::newRow("uint8 on bool")
        << Specs{makeSpec("b", {1}, DType::Bool, affine(QuantDType::UInt8, 0, 1))} << u8({1})
        << ErrorCode::Unsupported << QStringLiteral("Unsupported dtype in weight 'b': bool")
        << QStringLiteral("b") << kNoOffset;
    QTest::newRow("uint16 on complex64")
        << Specs{makeSpec("c", {1}, DType::Complex64, affine(QuantDType::UInt16, 0, 1))}
        << QByteArray(2, 'x') << ErrorCode::Unsupported
        << QStringLiteral("Unsupported dtype in weight 'c': complex64") << QStringLiteral("c")
        << kNoOffset;
    QTest::newRow("uint8 on string")
        << Specs{makeSpec("s", {1}, DType::String, affine(QuantDType::UInt8, 0, 1))} << u8({1})
        << ErrorCode::Unsupported << QStringLiteral("Unsupported dtype in weight 's': string")
        << QStringLiteral("s") << kNoOffset;
    QTest::newRow("uint8 without min and scale")
        << Specs{makeSpec("q", {1}, DType::Float32,
                          Quantization{QuantDType::UInt8, std::nullopt, std::nullopt})}
        << u8({1}) << ErrorCode::Format
        << QStringLiteral("Weight q with quantization uint8 doesn't have corresponding metadata "
                          "min and scale.")
        << QStringLiteral("q") << kNoOffset;
    QTest::newRow("uint16 with min only")
        << Specs{makeSpec("q", {1}, DType::Int32,
                          Quantization{QuantDType::UInt16, 0.5, std::nullopt})}
        << u8({1, 0}) << ErrorCode::Format
        << QStringLiteral("Weight q with quantization uint16 doesn't have corresponding metadata "
                          "min and scale.")
        << QStringLiteral("q") << kNoOffset;
    QTest::newRow("duplicate names")
        << Specs{makeSpec("a", {1}, DType::Float32), makeSpec("b", {1}, DType::Float32),
                 makeSpec("a", {1}, DType::Float32)}
        << QByteArray(12, 'x') << ErrorCode::Format
        << QStringLiteral("Weight name 'a' appears more than once in the weight specs.")
        << QStringLiteral("a") << kNoOffset;
    QTest::newRow("name with placeholders")
        << Specs{makeSpec("%1%2", {1}, DType::Float32)} << QByteArray(2, 'x') << ErrorCode::Weights
        << QStringLiteral("The weight data is too short: tensor '%1%2' starts at byte 0 and needs "
                          "4 bytes, but the data ends at byte 2.")
        << QStringLiteral("%1%2") << qint64(0);
}

void TestCodec::decodeErrors()
{
    QFETCH(Specs, specs);
    QFETCH(QByteArray, data);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    QFETCH(QString, tensor);
    QFETCH(qint64, offset);

    const Result<std::vector<Tensor>> result = decodeWeights(specs, data);
    QVERIFY(!result);
    QCOMPARE(result.error().message, message);
    QCOMPARE(result.error().code, code);
    QCOMPARE(result.error().tensor, tensor);
    QCOMPARE(result.error().offset, offset);
}

void TestCodec::decodeTensorErrors()
{
    // decodeTensor wants exactly the tensor's bytes (checkWeightLayout's rule for the spec
    // alone); offsets are reported from baseOffset.
    const WeightSpec f = makeSpec("f", {1}, DType::Float32);
    const QByteArray eight(8, 'x');
    const Result<Tensor> extra = decodeTensor(f, eight.constData(), 8, 100);
    QVERIFY(!extra);
    QCOMPARE(extra.error().code, ErrorCode::Weights);
    QCOMPARE(extra.error().message,
             QStringLiteral("The weight data is too long: 4 bytes follow the last tensor 'f', "
                            "which ends at byte 104; the data ends at byte 108."));
    QCOMPARE(extra.error().tensor, QStringLiteral("f"));
    QCOMPARE(extra.error().offset, qint64(104));

    const Result<Tensor> shortData = decodeTensor(f, eight.constData(), 3, 100);
    QVERIFY(!shortData);
    QCOMPARE(shortData.error().message,
             QStringLiteral("The weight data is too short: tensor 'f' starts at byte 100 and needs "
                            "4 bytes, but the data ends at byte 103."));
    QCOMPARE(shortData.error().offset, qint64(100));

    const WeightSpec s = makeSpec("s", {1}, DType::String);
    const QByteArray overrun = u32({5}) + "abc";
    const Result<Tensor> strings = decodeTensor(s, overrun.constData(), overrun.size(), 100);
    QVERIFY(!strings);
    QCOMPARE(strings.error().message,
             QStringLiteral("The weight data is too short: the length prefix of string element 0 "
                            "of tensor 's' (which starts at byte 100) at byte 100 says 5 bytes, "
                            "which would end at byte 109, but the data ends at byte 107."));
    QCOMPARE(strings.error().offset, qint64(100));
}

void TestCodec::encodeErrors_data()
{
    QTest::addColumn<Tensors>("tensors");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("tensor");

    QTest::newRow("int32 holding floats")
        << Tensors{Tensor{makeSpec("x", {1}, DType::Int32), std::vector<float>{1}}}
        << ErrorCode::InvalidArgument
        << QStringLiteral("Tensor 'x' has dtype int32 but holds float32 values instead of int32.")
        << QStringLiteral("x");
    QTest::newRow("bool holding int32")
        << Tensors{Tensor{makeSpec("b", {1}, DType::Bool), std::vector<std::int32_t>{1}}}
        << ErrorCode::InvalidArgument
        << QStringLiteral("Tensor 'b' has dtype bool but holds int32 values instead of uint8.")
        << QStringLiteral("b");
    QTest::newRow("quantized int32 holding floats")
        << Tensors{Tensor{makeSpec("q", {1}, DType::Int32, affine(QuantDType::UInt8, 0, 1)),
                          std::vector<float>{1}}}
        << ErrorCode::InvalidArgument
        << QStringLiteral("Tensor 'q' has dtype int32 but holds float32 values instead of int32.")
        << QStringLiteral("q");
    QTest::newRow("string holding floats")
        << Tensors{Tensor{makeSpec("s", {1}, DType::String), std::vector<float>{1}}}
        << ErrorCode::InvalidArgument
        << QStringLiteral("Tensor 's' has dtype string but holds float32 values instead of string.")
        << QStringLiteral("s");
    QTest::newRow("too few values")
        << Tensors{Tensor{makeSpec("x", {2, 2}, DType::Float32), std::vector<float>{1, 2, 3}}}
        << ErrorCode::InvalidArgument
        << QStringLiteral("Tensor 'x' holds 3 values, but its float32 shape [2,2] needs 4.")
        << QStringLiteral("x");
    QTest::newRow("complex64 needs pairs")
        << Tensors{Tensor{makeSpec("c", {2}, DType::Complex64), std::vector<float>{1, 2}}}
        << ErrorCode::InvalidArgument
        << QStringLiteral("Tensor 'c' holds 2 values, but its complex64 shape [2] needs 4.")
        << QStringLiteral("c");
    QTest::newRow("duplicate names")
        << Tensors{Tensor{makeSpec("x", {1}, DType::Float32), std::vector<float>{1}},
                   Tensor{makeSpec("x", {1}, DType::Float32), std::vector<float>{2}}}
        << ErrorCode::InvalidArgument << QStringLiteral("Tensor name 'x' appears more than once.")
        << QStringLiteral("x");
    QTest::newRow("float16 on int32")
        << Tensors{Tensor{makeSpec("h", {1}, DType::Int32, half16()), std::vector<std::int32_t>{1}}}
        << ErrorCode::Unsupported
        << QStringLiteral("Weight h is quantized with float16 which only supports weights of type "
                          "float32 not int32.")
        << QStringLiteral("h");
    QTest::newRow("uint8 without scale")
        << Tensors{Tensor{makeSpec("q", {1}, DType::Float32,
                                   Quantization{QuantDType::UInt8, 0.0, std::nullopt}),
                          std::vector<float>{1}}}
        << ErrorCode::Format
        << QStringLiteral("Weight q with quantization uint8 doesn't have corresponding metadata "
                          "min and scale.")
        << QStringLiteral("q");
    QTest::newRow("negative dimension")
        << Tensors{Tensor{makeSpec("n", {-3}, DType::Float32), std::vector<float>{}}}
        << ErrorCode::Format
        << QStringLiteral("Weight 'n' has an invalid shape: [-3] has a negative dimension.")
        << QStringLiteral("n");
}

void TestCodec::encodeErrors()
{
    QFETCH(Tensors, tensors);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    QFETCH(QString, tensor);

    const Result<EncodedWeights> result = encodeWeights(tensors);
    QVERIFY(!result);
    QCOMPARE(result.error().message, message);
    QCOMPARE(result.error().code, code);
    QCOMPARE(result.error().tensor, tensor);
}

void TestCodec::encodedSpecs()
{
    WeightSpec grouped = makeSpec("opt", {1}, DType::Float32);
    grouped.group = "optimizer";
    grouped.json = Json{{"name", "opt"}, {"extra", 1}};
    const Tensors tensors{
        Tensor{grouped, std::vector<float>{0.5f}},
        Tensor{makeSpec("q", {2}, DType::Float32, affine(QuantDType::UInt8, -1, 0.5)),
               std::vector<float>{-1.0f, 200.0f}},
        Tensor{makeSpec("h", {1}, DType::Float32, Quantization{QuantDType::Float16, 1.0, 2.0}),
               std::vector<float>{0.25f}},
    };
    const Result<EncodedWeights> encoded = encodeWeights(tensors);
    QVERIFY(encoded);
    QCOMPARE(encoded->specs.size(), std::size_t(3));

    const WeightSpec &first = encoded->specs[0];
    QCOMPARE(first.group, std::optional<std::string>("optimizer"));
    QVERIFY(!first.quantization);
    QVERIFY(first.json.is_null()); // built in code: TF.js key order on write

    const WeightSpec &second = encoded->specs[1];
    QVERIFY(second.quantization);
    QCOMPARE(second.quantization->dtype, QuantDType::UInt8);
    QCOMPARE(second.quantization->min, std::optional<double>(-1));
    QCOMPARE(second.quantization->scale, std::optional<double>(0.5));

    const WeightSpec &third = encoded->specs[2];
    QVERIFY(third.quantization);
    QCOMPARE(third.quantization->dtype, QuantDType::Float16);
    QVERIFY(!third.quantization->min);
    QVERIFY(!third.quantization->scale);

    // 0.5 | -1 -> 0, 200 -> 402 clips to 255 | 0.25 as half.
    QCOMPARE(encoded->data, f32({0.5f}) + u8({0, 255}) + u16({0x3400}));
}

QTEST_GUILESS_MAIN(TestCodec)
#include "tst_codec.moc"
