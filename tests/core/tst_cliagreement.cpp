// tfjs-model's verbs agree on what a valid model is: a model whose weight layout
// checkWeightLayout refuses is refused alike by copy (to every kind of destination, writing
// nothing), validate, stats, info and summary, in-process and as the real binary; a valid
// model with string tensors passes them all.
#include "clirun.h"
#include "file/filehandler.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

// Every verb that loads a model, with {model} the source and {places} a folder for the
// destinations, the store and the downloads.
QList<QStringList> verbLines()
{
    const QString m = QStringLiteral("{model}");
    const QString store = QStringLiteral("--store={places}/store");
    return {
        { QStringLiteral("info"), m },
        { QStringLiteral("info"), QStringLiteral("--json"), m },
        { QStringLiteral("summary"), m },
        { QStringLiteral("validate"), m },
        { QStringLiteral("stats"), m },
        { QStringLiteral("copy"), m, QStringLiteral("{places}/folder") },
        { QStringLiteral("copy"), m, QStringLiteral("indexeddb://m"), store },
        { QStringLiteral("copy"), m, QStringLiteral("localstorage://m"), store },
        { QStringLiteral("copy"), m, QStringLiteral("downloads://m"),
            QStringLiteral("--downloads={places}/Downloads") },
    };
}

QStringList fill(QStringList line, const QString &model, const QString &places)
{
    for (QString &arg : line)
        arg.replace(QStringLiteral("{model}"), model).replace(QStringLiteral("{places}"), places);
    return line;
}

} // namespace

class TestCliAgreement : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void brokenStrings_data();
    void brokenStrings();
    void validStrings();

private:
    QTemporaryDir m_store;
};

void TestCliAgreement::initTestCase()
{
    QVERIFY(m_store.isValid());
    qputenv("TFJS_STORE_DIR", QFile::encodeName(m_store.path())); // verbs without --store
}

void TestCliAgreement::brokenStrings_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<bool>("binary");
    const auto layouts = brokenStringLayouts();
    for (std::size_t i = 0; i < layouts.size(); ++i) {
        QTest::addRow("%s, in-process", layouts[i].model.name) << int(i) << false;
        QTest::addRow("%s, binary", layouts[i].model.name) << int(i) << true;
    }
}

void TestCliAgreement::brokenStrings()
{
    QFETCH(int, index);
    QFETCH(bool, binary);
    const BrokenLayout layout = brokenStringLayouts().at(std::size_t(index));
    QTemporaryDir tmp;
    const QString model = writeBrokenModel(layout.model, tmp.filePath(QStringLiteral("source")));
    const QString places = tmp.filePath(QStringLiteral("places"));
    QVERIFY(QDir().mkpath(places + QStringLiteral("/store")));
    QVERIFY(QDir().mkpath(places + QStringLiteral("/Downloads")));
    const Tree before = snapshot(places);
    const Tree storeBefore = snapshot(m_store.path());

    // The load's error: the rule's message naming the model, tensor and offset.
    JobContext ctx;
    auto loaded = FileHandler(model).load(ctx);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().tensor, layout.tensor);
    QCOMPARE(loaded.error().offset, layout.offset);
    const QString expected
        = QStringLiteral("tfjs-model: ") + loaded.error().toString() + QLatin1Char('\n');

    for (const QStringList &line : verbLines()) {
        const QStringList args = fill(line, model, places);
        const CliRun run = binary ? runBinary(args, m_store.path()) : runCli(args);
        QVERIFY2(run.code == 1,
            qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": exit %1").arg(run.code)));
        QCOMPARE(run.err, expected);
        QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
    }
    QCOMPARE(snapshot(places), before); // no copy wrote anything anywhere
    QCOMPARE(snapshot(m_store.path()), storeBefore);
}

void TestCliAgreement::validStrings()
{
    // Strings split across shards (a length prefix too), a number between them: every verb
    // accepts the model, and the copies hold the same bytes.
    QTemporaryDir tmp;
    const QByteArray bytes
        = stringTensor({ "ab", "", "вес" }) + f32({ 0.5f }) + stringTensor({ "", "重み" });
    const QString model = writeModel(tmp.filePath(QStringLiteral("source")),
        manifestJson(R"(["a.bin","b.bin"])",
            R"([{"name":"s","shape":[3],"dtype":"string"},)"
            R"({"name":"f","shape":[1],"dtype":"float32"},)"
            R"({"name":"e","shape":[2],"dtype":"string"}])"),
        { { QStringLiteral("a.bin"), bytes.left(8) }, { QStringLiteral("b.bin"), bytes.mid(8) } });
    const QString places = tmp.filePath(QStringLiteral("places"));
    QVERIFY(QDir().mkpath(places + QStringLiteral("/Downloads")));
    for (const QStringList &line : verbLines()) {
        const QStringList args = fill(line, model, places);
        const CliRun run = runBinary(args, m_store.path());
        QVERIFY2(
            run.code == 0, qPrintable(args.join(QLatin1Char(' ')) + QLatin1Char('\n') + run.err));
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    }
    QCOMPARE(readFile(places + QStringLiteral("/folder/weights.bin")), bytes);
    QCOMPARE(readFile(places + QStringLiteral("/Downloads/m.weights.bin")), bytes);
    for (const QString &copy :
        { QStringLiteral("indexeddb://m"), QStringLiteral("localstorage://m") }) {
        const CliRun run = runCli({ QStringLiteral("validate"), copy,
            QStringLiteral("--store=") + places + QStringLiteral("/store") });
        QCOMPARE(run.code, 0);
        QCOMPARE(run.out,
            copy + QStringLiteral(": OK, 3 tensors, %1 bytes decoded.\n").arg(bytes.size()));
    }
}

QTEST_GUILESS_MAIN(TestCliAgreement)
#include "tst_cliagreement.moc"
