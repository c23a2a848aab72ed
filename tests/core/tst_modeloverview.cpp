#include "inspect/modelsummary.h"
#include "format/modeloverview.h"

#include <QTest>

using namespace tfjs;

class TestModelOverview : public QObject
{
    Q_OBJECT

private slots:
    void trainingConfig_data()
    {
        QTest::addColumn<QByteArray>("model");
        QTest::addColumn<QByteArray>("config"); // compact JSON, empty: none
        QTest::newRow("TF.js save: top-level trainingConfig") << QByteArray(
            R"({"modelTopology":{"class_name":"Sequential","config":{"name":"s","layers":[]}},)"
            R"("trainingConfig":{"loss":"mse"},"weightsManifest":[]})")
                                                              << QByteArray(R"({"loss":"mse"})");
        QTest::newRow("converted Keras h5: training_config beside model_config")
            << QByteArray(
                   R"({"modelTopology":{"keras_version":"2.13.1","backend":"tensorflow",)"
                   R"("model_config":{"class_name":"Sequential","config":{"name":"s","layers":[]}},)"
                   R"("training_config":{"loss":"categorical_crossentropy"}},"weightsManifest":[]})")
            << QByteArray(R"({"loss":"categorical_crossentropy"})");
        QTest::newRow("both: the top-level one") // as TF.js's loadLayersModel reads it
            << QByteArray(
                   R"({"modelTopology":{"model_config":{"class_name":"Sequential","config":{"layers":[]}},)"
                   R"("training_config":{"loss":"a"}},"trainingConfig":{"loss":"b"},"weightsManifest":[]})")
            << QByteArray(R"({"loss":"b"})");
        QTest::newRow("none") << QByteArray(
            R"({"modelTopology":{"class_name":"Sequential","config":{"layers":[]}},"weightsManifest":[]})")
                              << QByteArray();
        QTest::newRow("null training_config") << QByteArray(
            R"({"modelTopology":{"model_config":{"class_name":"Sequential","config":{"layers":[]}},)"
            R"("training_config":null},"weightsManifest":[]})")
                                              << QByteArray();
        QTest::newRow("bare manifest")
            << QByteArray(R"([{"paths":["a.bin"],"weights":[]}])") << QByteArray();
    }

    void trainingConfig()
    {
        QFETCH(QByteArray, model);
        QFETCH(QByteArray, config);
        auto json = parseJson(
            std::string_view(model.constData(), std::size_t(model.size())), QStringLiteral("test"));
        QVERIFY(json);
        auto artifacts = artifactsFromModelJson(*json, QStringLiteral("model.json"));
        QVERIFY(artifacts);
        const Json *found = trainingConfigOf(*artifacts);
        QCOMPARE(found ? QByteArray::fromStdString(stringify(*found)) : QByteArray(), config);
        // The Overview (and `info`) and `summary` agree.
        QCOMPARE(overviewOf(*artifacts).hasTrainingConfig, !config.isEmpty());
        QCOMPARE(
            overviewOf(*artifacts).toJson()["hasTrainingConfig"].get<bool>(), !config.isEmpty());
        const ModelSummary summary = summarizeModel(*artifacts);
        QCOMPARE(summary.trainingConfig
                ? QByteArray::fromStdString(stringify(*summary.trainingConfig))
                : QByteArray(),
            config);
    }
};

QTEST_GUILESS_MAIN(TestModelOverview)
#include "tst_modeloverview.moc"
