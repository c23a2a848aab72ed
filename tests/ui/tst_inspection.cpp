#include "inspection.h"
#include "inspectorwidget.h"
#include "jobtracker.h"
#include "jsonpage.h"
#include "overviewpage.h"
#include "topologypage.h"
#include "weightspage.h"

#include "testmodels.h"

#include "schemes/schemes.h"
#include "base/job.h"

#include <QCheckBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

Result<OpenedModel> open(const QString &path)
{
    JobContext ctx;
    return loadModel(makeDefaultRegistry(), ModelSource::fromUrl(path), ctx);
}

} // namespace

const QByteArray kHandManifest = "[ {\n    \"weights\": [ {\"name\": \"a/x\", \"dtype\": \"float32\", \"shape\": [2]},\n"
                                  "                 {\"shape\": [1], \"name\": \"a/y\", \"dtype\": \"float32\"},\n"
                                  "                 {\"name\": \"b\", \"shape\": [1], \"dtype\": \"float32\"} ],\n"
                                  "    \"paths\": [\"w.bin\"]\n} ]\n";

class TestInspection : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::writeDenseModel(m_dir.filePath(QStringLiteral("dense")));
        uitest::writeDenseModel(m_dir.filePath(QStringLiteral("nan")), QStringLiteral("model.json"),
                                QStringLiteral("weights.bin"), true);
        uitest::writeFile(m_dir.filePath(QStringLiteral("graph/model.json")),
                          R"({"format":"graph-model","modelTopology":{"node":[)"
                          R"({"name":"x","op":"Placeholder","attr":{"dtype":{"type":"DT_FLOAT"}}},)"
                          R"({"name":"w","op":"Const"},{"name":"m","op":"MatMul","input":["x","w"]},)"
                          R"({"name":"r","op":"Relu","input":["m"]},{"name":"y","op":"Relu","input":["r"]}]},)"
                          R"("weightsManifest":[{"paths":["w.bin"],"weights":[{"name":"w","shape":[2,2],"dtype":"float32"}]}]})");
        uitest::writeFile(m_dir.filePath(QStringLiteral("graph/w.bin")), uitest::floats({1, 0, 0, 1}));
        uitest::writeFile(m_dir.filePath(QStringLiteral("bare/manifest.json")),
                          R"([{"paths":["w.bin"],"weights":[{"name":"a/x","shape":[2],"dtype":"float32"},)"
                          R"({"name":"a/y","shape":[1],"dtype":"float32"},{"name":"b","shape":[1],"dtype":"float32"}]}])");
        uitest::writeFile(m_dir.filePath(QStringLiteral("bare/w.bin")), uitest::floats({1, 2, 3, 4}));
        // The same manifest as someone wrote it by hand: spacing and key order of their own.
        uitest::writeFile(m_dir.filePath(QStringLiteral("bare/hand_manifest.json")), kHandManifest);
        uitest::writeLargeModel(m_dir.filePath(QStringLiteral("large")), 32, qint64(2) << 20);
    }

    // What the JSON tab shows: the file as it is (short lines), the file's own document
    // indented (minified), or, without a file, the JSON TF.js would write.
    void jsonText()
    {
        auto hand = open(m_dir.filePath(QStringLiteral("bare/hand_manifest.json")));
        QVERIFY(hand);
        QCOMPARE(hand->artifacts.jsonText, kHandManifest);
        JsonText text = modelJsonText(hand->artifacts, JsonTextMode::Auto, 1 << 20);
        QVERIFY(!text.indented);
        QCOMPARE(text.text, QString::fromUtf8(kHandManifest)); // the bytes as they are
        QVERIFY(text.canShowFile());

        // Minified: indented by default, still the file's document (an array, keys in file order).
        auto bare = open(m_dir.filePath(QStringLiteral("bare/manifest.json")));
        QVERIFY(bare);
        text = modelJsonText(bare->artifacts, JsonTextMode::Auto, 1 << 20);
        QVERIFY(text.indented);
        QVERIFY2(text.text.startsWith(QStringLiteral("[\n  {\n    \"paths\": [")), qPrintable(text.text));
        QVERIFY(!text.text.contains(QStringLiteral("weightsManifest")));
        text = modelJsonText(bare->artifacts, JsonTextMode::File, 1 << 20);
        QVERIFY(!text.indented);
        QCOMPARE(text.text.toUtf8(), bare->artifacts.jsonText);
        // Cut at the limit, never inside a UTF-8 sequence.
        text = modelJsonText(bare->artifacts, JsonTextMode::File, 10);
        QVERIFY(text.truncated);
        QCOMPARE(text.text, QString::fromUtf8(bare->artifacts.jsonText.left(10)));

        // No file (a store model): the model JSON as TF.js writes it.
        ModelArtifacts stored = hand->artifacts;
        stored.jsonText.clear();
        text = modelJsonText(stored, JsonTextMode::File, 1 << 20);
        QVERIFY(text.indented);
        QVERIFY(!text.canShowFile());
        QVERIFY(text.text.contains(QStringLiteral("\"weightsManifest\"")));
    }

    void jsonTabShowsTheFile()
    {
        auto hand = open(m_dir.filePath(QStringLiteral("bare/hand_manifest.json")));
        QVERIFY(hand);
        JobTracker jobs;
        InspectorWidget inspector(&jobs);
        inspector.setModel(std::make_shared<const OpenedModel>(std::move(*hand)));
        JsonPage *page = inspector.jsonPage();
        QTRY_COMPARE_WITH_TIMEOUT(page->editor()->toPlainText(), QString::fromUtf8(kHandManifest), 10000);
        QVERIFY(page->indentBox()->isEnabled());
        QVERIFY(!page->indentBox()->isChecked());
        page->indentBox()->setChecked(true); // the user asks for it indented
        QTRY_VERIFY_WITH_TIMEOUT(page->editor()->toPlainText().startsWith(QStringLiteral("[\n  {\n    \"weights\": [")), 10000);
        page->indentBox()->setChecked(false);
        QTRY_COMPARE_WITH_TIMEOUT(page->editor()->toPlainText(), QString::fromUtf8(kHandManifest), 10000);
    }

    void overviewCountsAConvertedTrainingConfig()
    {
        // tfjs-converter wraps a Keras h5 model's topology as {model_config, training_config}.
        const QString dir = m_dir.filePath(QStringLiteral("converted"));
        uitest::writeFile(QDir(dir).filePath(QStringLiteral("model.json")),
                          R"({"format":"layers-model","modelTopology":{"keras_version":"2.13.1","backend":"tensorflow",)"
                          R"("model_config":{"class_name":"Sequential","config":{"name":"s","layers":[]}},)"
                          R"("training_config":{"loss":"mse","optimizer_config":{"class_name":"Adam"}}},"weightsManifest":[]})");
        auto model = open(dir);
        QVERIFY(model);
        const QString html = overviewHtml(*model);
        QVERIFY2(html.contains(QStringLiteral("Training config</td><td>yes")), qPrintable(html));
    }

    void statisticsCanBeRerun()
    {
        auto model = open(m_dir.filePath(QStringLiteral("large")));
        QVERIFY(model);
        JobTracker jobs;
        InspectorWidget inspector(&jobs);
        QSignalSpy finished(&inspector, &InspectorWidget::statisticsFinished);
        inspector.setModel(std::make_shared<const OpenedModel>(std::move(*model)));
        QPushButton *button = inspector.weightsPage()->statsButton();
        QVERIFY(!button->isEnabled()); // running
        inspector.cancelStatistics();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.takeFirst().front().toBool(), false);
        QVERIFY(button->isEnabled());
        QCOMPARE(button->text(), QStringLiteral("Compute Statistics"));

        button->click();
        QVERIFY(inspector.statisticsRunning());
        QVERIFY(!button->isEnabled());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.takeFirst().front().toBool(), true);
        QCOMPARE(button->text(), QStringLiteral("Rerun Statistics"));
        QVERIFY(button->isEnabled());
        TensorTableModel *table = inspector.weightsPage()->tableModel();
        for (int row = 0; row < table->rowCount(); ++row)
            QVERIFY(table->stats(row));
        // Rerunning replaces them (same counts, not doubled warnings).
        button->click();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.takeFirst().front().toBool(), true);
        QCOMPARE(table->warnings().zeroTensors, 32); // sparse files: every kernel is zero
    }

    void layersTable()
    {
        auto model = open(m_dir.filePath(QStringLiteral("dense")));
        QVERIFY(model);
        JobContext ctx;
        auto tables = topologyTables(model->artifacts, ctx);
        QVERIFY(tables);
        QCOMPARE(tables->headers.front(), QStringLiteral("Layer"));
        QCOMPARE(tables->rows.size(), std::size_t(1));
        QCOMPARE(tables->rows[0][0].toString(), QStringLiteral("dense"));
        QCOMPARE(tables->rows[0][1].toString(), QStringLiteral("Dense"));
        QCOMPARE(tables->rows[0][2].toString(), QStringLiteral("[null,2]"));
        QCOMPARE(tables->rows[0][3].toLongLong(), 8);
        QCOMPARE(tables->total[3].toLongLong(), 8);
        QVERIFY2(tables->summary.startsWith(QStringLiteral("Sequential “seq”: 1 layer; 8 params (8 trainable, 0 non-trainable)")),
                 qPrintable(tables->summary));
    }

    void graphTable()
    {
        auto model = open(m_dir.filePath(QStringLiteral("graph")));
        QVERIFY(model);
        JobContext ctx;
        auto tables = topologyTables(model->artifacts, ctx);
        QVERIFY(tables);
        QCOMPARE(tables->headers, (QStringList{QStringLiteral("Op"), QStringLiteral("Nodes")}));
        // Most frequent op first.
        QCOMPARE(tables->rows[0][0].toString(), QStringLiteral("Relu"));
        QCOMPARE(tables->rows[0][1].toInt(), 2);
        QCOMPARE(tables->total[1].toInt(), 5);
        QVERIFY2(tables->summary.startsWith(QStringLiteral("GraphDef: 5 nodes, 4 op types")), qPrintable(tables->summary));
        QVERIFY(!tables->secondRows.empty());
        QCOMPARE(tables->secondRows[0][0].toString(), QStringLiteral("input"));
        QCOMPARE(tables->secondRows[0][2].toString(), QStringLiteral("x"));
    }

    void weightGroups()
    {
        auto model = open(m_dir.filePath(QStringLiteral("bare/manifest.json")));
        QVERIFY(model);
        JobContext ctx;
        auto tables = topologyTables(model->artifacts, ctx);
        QVERIFY(tables);
        QCOMPARE(tables->rows.size(), std::size_t(2));
        QCOMPARE(tables->rows[0][0].toString(), QStringLiteral("a"));
        QCOMPARE(tables->rows[0][1].toInt(), 2);
        QCOMPARE(tables->rows[0][2].toLongLong(), 3);
        QCOMPARE(tables->total[3].toLongLong(), 16);
    }

    void statistics()
    {
        auto model = open(m_dir.filePath(QStringLiteral("nan")));
        QVERIFY(model);
        JobContext ctx;
        std::map<int, TensorStatsRow> rows;
        QVERIFY(tensorStatistics(model->artifacts, ctx, [&](int index, TensorStatsRow stats) { rows[index] = std::move(stats); }));
        QCOMPARE(rows.size(), std::size_t(2));
        // kernel: 0.5, NaN, 2, 0, 3.5, -0.75
        const TensorStatsRow &kernel = rows[0];
        QCOMPARE(kernel.count, 6);
        QCOMPARE(kernel.finite, 5);
        QCOMPARE(kernel.nans, 1);
        QCOMPARE(kernel.zeros, 1);
        QCOMPARE(kernel.min, -0.75);
        QCOMPARE(kernel.max, 3.5);
        QCOMPARE(kernel.mean, 1.05);
        QCOMPARE(qint64(kernel.histogram.size()), qint64(kHistogramBins));
        qint64 inBins = 0;
        for (const qint64 count : kernel.histogram)
            inBins += count;
        QCOMPARE(inBins, 5);
        // bias: 0, 0: all zero, as a bias starts (no warning)
        QVERIFY(rows[1].allZero());
        const std::vector<WeightSpec> &specs = *model->artifacts.weightSpecs;
        QCOMPARE(warningText(specs[0], kernel), QStringLiteral("1 NaN"));
        QCOMPARE(warningText(specs[1], rows[1]), QString());
        ctx.cancel();
        auto cancelled = tensorStatistics(model->artifacts, ctx, [](int, TensorStatsRow) {});
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
    }

    void inspectorShowsWarningsAndTopology()
    {
        auto model = open(m_dir.filePath(QStringLiteral("nan")));
        QVERIFY(model);
        JobTracker jobs;
        InspectorWidget inspector(&jobs);
        inspector.show();
        QSignalSpy stats(&inspector, &InspectorWidget::statisticsFinished);
        QSignalSpy topology(&inspector, &InspectorWidget::topologyFinished);
        inspector.setModel(std::make_shared<const OpenedModel>(std::move(*model)));
        QVERIFY(stats.wait(10000));
        QVERIFY(stats.front().front().toBool());
        QTRY_VERIFY(!topology.isEmpty());
        QCOMPARE(inspector.topologyPage()->tableModel()->rowCount(), 2); // the layer and the total
        QLabel *warning = inspector.weightsPage()->warningLabel();
        QVERIFY(!warning->isHidden());
        QCOMPARE(warning->text(), QStringLiteral("⚠ 1 tensor contains NaN. Tick “Only with warnings” to list them."));

        // A new model drops what the old one's jobs still deliver.
        auto dense = open(m_dir.filePath(QStringLiteral("dense")));
        QVERIFY(dense);
        stats.clear();
        inspector.setModel(std::make_shared<const OpenedModel>(std::move(*dense)));
        QVERIFY(stats.wait(10000));
        QVERIFY(inspector.weightsPage()->warningLabel()->isHidden()); // a zero bias is no warning
        QCOMPARE(inspector.weightsPage()->tableModel()->warnings().nanTensors, 0);
    }
};

QTEST_MAIN(TestInspection)
#include "tst_inspection.moc"
