#include "inspect/layershapes.h"

#include <QTest>

using namespace tfjs;

namespace {

Json j(const QByteArray &text)
{
    auto value = parseJson(std::string_view(text.constData(), std::size_t(text.size())), QStringLiteral("test"));
    if (!value)
        qFatal("bad JSON in test table: %s", qPrintable(value.error().message));
    return *value;
}

Shapes shapesOf(const QByteArray &text)
{
    Shapes shapes;
    for (const Json &shape : j(text))
        shapes.push_back(*shapeFromJson(shape));
    return shapes;
}

} // namespace

class TestLayerShapes : public QObject
{
    Q_OBJECT

private slots:
    void outputShapes_data();
    void outputShapes();
    void shapeJson();
};

void TestLayerShapes::outputShapes_data()
{
    QTest::addColumn<QString>("className");
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QByteArray>("inputs");   // a JSON list of input shapes
    QTest::addColumn<QByteArray>("expected"); // a JSON list of output shapes, or null

    QTest::newRow("Dense") << "Dense" << QByteArray(R"({"units":5})") << QByteArray("[[null,3]]") << QByteArray("[[null,5]]");
    QTest::newRow("Dense on rank 3") << "Dense" << QByteArray(R"({"units":5})") << QByteArray("[[null,4,3]]") << QByteArray("[[null,4,5]]");
    QTest::newRow("Dense without units") << "Dense" << QByteArray("{}") << QByteArray("[[null,3]]") << QByteArray("null");
    QTest::newRow("Activation") << "Activation" << QByteArray(R"({"activation":"relu"})") << QByteArray("[[null,2,7]]") << QByteArray("[[null,2,7]]");
    QTest::newRow("BatchNormalization") << "BatchNormalization" << QByteArray("{}") << QByteArray("[[8,3]]") << QByteArray("[[8,3]]");
    QTest::newRow("Flatten") << "Flatten" << QByteArray("{}") << QByteArray("[[null,4,4,4]]") << QByteArray("[[null,64]]");
    QTest::newRow("Flatten of an unknown dim") << "Flatten" << QByteArray("{}") << QByteArray("[[null,null,4]]") << QByteArray("null");
    QTest::newRow("Reshape, null batch keeps -1 as null") << "Reshape" << QByteArray(R"({"target_shape":[-1,2]})") << QByteArray("[[null,6]]") << QByteArray("[[null,null,2]]");
    QTest::newRow("Reshape, known batch resolves -1") << "Reshape" << QByteArray(R"({"target_shape":[3,-1]})") << QByteArray("[[2,6,2]]") << QByteArray("[[2,3,4]]");
    QTest::newRow("Reshape, sizes disagree") << "Reshape" << QByteArray(R"({"target_shape":[5]})") << QByteArray("[[2,6]]") << QByteArray("null");
    QTest::newRow("Permute") << "Permute" << QByteArray(R"({"dims":[2,1]})") << QByteArray("[[null,3,4]]") << QByteArray("[[null,4,3]]");
    QTest::newRow("RepeatVector") << "RepeatVector" << QByteArray(R"({"n":3})") << QByteArray("[[null,7]]") << QByteArray("[[null,3,7]]");
    QTest::newRow("Conv2D valid, stride 2") << "Conv2D" << QByteArray(R"({"filters":4,"kernel_size":[3,3],"strides":[2,2],"padding":"valid"})")
        << QByteArray("[[null,15,13,3]]") << QByteArray("[[null,7,6,4]]");
    QTest::newRow("Conv2D same, stride 2") << "Conv2D" << QByteArray(R"({"filters":4,"kernel_size":3,"strides":2,"padding":"same"})")
        << QByteArray("[[null,15,13,3]]") << QByteArray("[[null,8,7,4]]");
    QTest::newRow("Conv2D channels_first") << "Conv2D" << QByteArray(R"({"filters":4,"kernel_size":3,"strides":2,"data_format":"channels_first"})")
        << QByteArray("[[null,3,15,13]]") << QByteArray("[[null,4,7,6]]");
    QTest::newRow("Conv2D dilated") << "Conv2D" << QByteArray(R"({"filters":2,"kernel_size":3,"dilation_rate":2})")
        << QByteArray("[[null,10,10,1]]") << QByteArray("[[null,6,6,2]]");
    QTest::newRow("Conv1D causal (as tfjs reports it)") << "Conv1D" << QByteArray(R"({"filters":6,"kernel_size":[3],"padding":"causal"})")
        << QByteArray("[[null,12,8]]") << QByteArray("[[null,10,6]]");
    QTest::newRow("DepthwiseConv2D") << "DepthwiseConv2D" << QByteArray(R"({"kernel_size":2,"depth_multiplier":3})")
        << QByteArray("[[null,8,7,6]]") << QByteArray("[[null,7,6,18]]");
    QTest::newRow("SeparableConv2D") << "SeparableConv2D" << QByteArray(R"({"filters":6,"kernel_size":3,"padding":"same"})")
        << QByteArray("[[null,8,7,6]]") << QByteArray("[[null,8,7,6]]");
    QTest::newRow("Conv2DTranspose valid") << "Conv2DTranspose" << QByteArray(R"({"filters":5,"kernel_size":3,"strides":2,"padding":"valid"})")
        << QByteArray("[[null,4,5,2]]") << QByteArray("[[null,9,11,5]]");
    QTest::newRow("Conv2DTranspose same") << "Conv2DTranspose" << QByteArray(R"({"filters":5,"kernel_size":3,"strides":2,"padding":"same"})")
        << QByteArray("[[null,4,5,2]]") << QByteArray("[[null,8,10,5]]");
    QTest::newRow("Conv2D with an unknown size") << "Conv2D" << QByteArray(R"({"filters":4,"kernel_size":3})")
        << QByteArray("[[null,null,13,3]]") << QByteArray("[[null,null,11,4]]");
    QTest::newRow("MaxPooling2D") << "MaxPooling2D" << QByteArray(R"({"pool_size":[2,2]})") << QByteArray("[[null,8,8,4]]") << QByteArray("[[null,4,4,4]]");
    QTest::newRow("AveragePooling2D same, stride 1") << "AveragePooling2D" << QByteArray(R"({"pool_size":[2,3],"strides":[1,1],"padding":"same"})")
        << QByteArray("[[null,8,7,4]]") << QByteArray("[[null,8,7,4]]");
    QTest::newRow("MaxPooling1D") << "MaxPooling1D" << QByteArray(R"({"pool_size":[2]})") << QByteArray("[[null,10,6]]") << QByteArray("[[null,5,6]]");
    QTest::newRow("GlobalAveragePooling2D") << "GlobalAveragePooling2D" << QByteArray("{}") << QByteArray("[[null,5,5,7]]") << QByteArray("[[null,7]]");
    QTest::newRow("GlobalMaxPooling2D channels_first") << "GlobalMaxPooling2D" << QByteArray(R"({"data_format":"channels_first"})")
        << QByteArray("[[null,7,5,5]]") << QByteArray("[[null,7]]");
    QTest::newRow("ZeroPadding2D") << "ZeroPadding2D" << QByteArray(R"({"padding":[[1,2],[0,3]]})") << QByteArray("[[null,15,13,3]]") << QByteArray("[[null,18,16,3]]");
    QTest::newRow("Cropping2D") << "Cropping2D" << QByteArray(R"({"cropping":[[1,1],[2,0]]})") << QByteArray("[[null,10,10,3]]") << QByteArray("[[null,8,8,3]]");
    QTest::newRow("UpSampling2D") << "UpSampling2D" << QByteArray(R"({"size":[2,1]})") << QByteArray("[[null,4,5,3]]") << QByteArray("[[null,8,5,3]]");
    QTest::newRow("Embedding with input_length") << "Embedding" << QByteArray(R"({"output_dim":8,"input_length":12})") << QByteArray("[[null,12]]") << QByteArray("[[null,12,8]]");
    QTest::newRow("Embedding without input_length") << "Embedding" << QByteArray(R"({"output_dim":8,"input_length":null})") << QByteArray("[[null,null]]") << QByteArray("[[null,null,8]]");
    QTest::newRow("LSTM") << "LSTM" << QByteArray(R"({"units":5})") << QByteArray("[[null,7,3]]") << QByteArray("[[null,5]]");
    QTest::newRow("LSTM sequences") << "LSTM" << QByteArray(R"({"units":5,"return_sequences":true})") << QByteArray("[[null,7,3]]") << QByteArray("[[null,7,5]]");
    QTest::newRow("LSTM states") << "LSTM" << QByteArray(R"({"units":5,"return_state":true})") << QByteArray("[[null,7,3]]") << QByteArray("[[null,5],[null,5],[null,5]]");
    QTest::newRow("GRU states") << "GRU" << QByteArray(R"({"units":4,"return_state":true})") << QByteArray("[[null,7,3]]") << QByteArray("[[null,4],[null,4]]");
    QTest::newRow("Bidirectional concat") << "Bidirectional" << QByteArray(R"({"layer":{"class_name":"LSTM","config":{"units":5,"return_sequences":true}},"merge_mode":"concat"})")
        << QByteArray("[[null,5,6]]") << QByteArray("[[null,5,10]]");
    QTest::newRow("Bidirectional without merge") << "Bidirectional" << QByteArray(R"({"layer":{"class_name":"GRU","config":{"units":5}},"merge_mode":null})")
        << QByteArray("[[null,5,6]]") << QByteArray("[[null,5],[null,5]]");
    QTest::newRow("TimeDistributed Dense") << "TimeDistributed" << QByteArray(R"({"layer":{"class_name":"Dense","config":{"units":4}}})")
        << QByteArray("[[null,5,10]]") << QByteArray("[[null,5,4]]");
    QTest::newRow("Add") << "Add" << QByteArray("{}") << QByteArray("[[null,3],[null,3]]") << QByteArray("[[null,3]]");
    QTest::newRow("Multiply broadcasting") << "Multiply" << QByteArray("{}") << QByteArray("[[null,4,6],[null,1,6]]") << QByteArray("[[null,4,6]]");
    QTest::newRow("Add, known batch wins") << "Add" << QByteArray("{}") << QByteArray("[[2,3],[null,3]]") << QByteArray("[[2,3]]");
    QTest::newRow("Add of different sizes") << "Add" << QByteArray("{}") << QByteArray("[[null,3],[null,4]]") << QByteArray("null");
    QTest::newRow("Concatenate axis 1") << "Concatenate" << QByteArray(R"({"axis":1})") << QByteArray("[[null,4,6],[null,4,6],[null,1,6]]") << QByteArray("[[null,9,6]]");
    QTest::newRow("Concatenate of an unknown size") << "Concatenate" << QByteArray("{}") << QByteArray("[[null,4],[null,null]]") << QByteArray("[[null,null]]");
    QTest::newRow("unknown class") << "MyCustomLayer" << QByteArray("{}") << QByteArray("[[null,3]]") << QByteArray("null");
    QTest::newRow("no inputs") << "Dense" << QByteArray(R"({"units":2})") << QByteArray("[]") << QByteArray("null");
    QTest::newRow("Dense given two inputs") << "Dense" << QByteArray(R"({"units":2})") << QByteArray("[[null,3],[null,3]]") << QByteArray("null");
}

void TestLayerShapes::outputShapes()
{
    QFETCH(QString, className);
    QFETCH(QByteArray, config);
    QFETCH(QByteArray, inputs);
    QFETCH(QByteArray, expected);
    const auto out = layerOutputShapes(className.toStdString(), j(config), shapesOf(inputs));
    const Json want = j(expected);
    if (want.is_null()) {
        QVERIFY2(!out.has_value(), out ? stringify(Json(out->size())).c_str() : "");
        return;
    }
    QVERIFY(out.has_value());
    Json got = Json::array();
    for (const Shape &shape : *out)
        got.push_back(shapeToJson(shape));
    QCOMPARE(QString::fromStdString(stringify(got)), QString::fromStdString(stringify(want)));
}

void TestLayerShapes::shapeJson()
{
    const auto shape = shapeFromJson(j("[null,3,0]"));
    QVERIFY(shape.has_value());
    QCOMPARE(shape->size(), std::size_t(3));
    QVERIFY(!(*shape)[0].has_value());
    QCOMPARE(shapeText(*shape), std::string("[null,3,0]"));
    QVERIFY(!shapeFromJson(j(R"([1,"x"])")).has_value());
    QVERIFY(!shapeFromJson(j("{}")).has_value());
    QVERIFY(!shapeFromJson(j("[1.5]")).has_value());
}

QTEST_APPLESS_MAIN(TestLayerShapes)
#include "tst_layershapes.moc"
