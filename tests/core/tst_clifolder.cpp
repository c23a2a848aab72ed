// The tfjs-model binary given a folder where a model is expected: every verb that loads a model
// URL opens a folder holding one model JSON, and refuses, naming the folder, a folder holding
// none or several (core's modelJsonInFolder).
#include "clirun.h"
#include "file/modelfolder.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

class TestCliFolder : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void oneJson_data();
    void oneJson();
    void noneOrSeveral_data();
    void noneOrSeveral();
    void copyFromFolder();

private:
    QTemporaryDir m_tmp;
    QTemporaryDir m_store;
    QString m_one;     // holds mobilenet.json (no model.json) and its shard
    QString m_none;    // holds a shard only
    QString m_several; // holds a.json and b.json
};

void TestCliFolder::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_one = m_tmp.filePath(QStringLiteral("one"));
    writeModel(m_one, compact(smallModelJson({QStringLiteral("w.bin")})),
               {{QStringLiteral("w.bin"), smallWeights()}}, QStringLiteral("mobilenet.json"));
    m_none = m_tmp.filePath(QStringLiteral("none"));
    QVERIFY(QDir().mkpath(m_none));
    QVERIFY(writeFile(m_none + QStringLiteral("/w.bin"), smallWeights()));
    m_several = m_tmp.filePath(QStringLiteral("several"));
    writeModel(m_several, compact(smallModelJson({QStringLiteral("w.bin")})),
               {{QStringLiteral("w.bin"), smallWeights()}}, QStringLiteral("a.json"));
    QVERIFY(writeFile(m_several + QStringLiteral("/b.json"), "{}"));
}

void TestCliFolder::oneJson_data()
{
    QTest::addColumn<QString>("verb");
    QTest::addColumn<bool>("fileUrl");
    for (const char *verb : {"info", "validate", "summary", "stats"}) {
        QTest::addRow("%s PATH", verb) << QString::fromLatin1(verb) << false;
        QTest::addRow("%s file://PATH", verb) << QString::fromLatin1(verb) << true;
    }
}

void TestCliFolder::oneJson()
{
    QFETCH(QString, verb);
    QFETCH(bool, fileUrl);
    const QString folder = fileUrl ? QStringLiteral("file://") + m_one : m_one;
    const CliRun viaFolder = runBinary({verb, folder}, m_store.path());
    QCOMPARE(viaFolder.code, 0);
    QVERIFY2(viaFolder.err.isEmpty(), qPrintable(viaFolder.err));
    // The same output as for the JSON itself, the URL as typed aside.
    const QString json = m_one + QStringLiteral("/mobilenet.json");
    const CliRun viaJson = runBinary({verb, fileUrl ? QStringLiteral("file://") + json : json},
                                     m_store.path());
    QCOMPARE(viaJson.code, 0);
    QVERIFY(!viaFolder.out.isEmpty());
    QCOMPARE(QString(viaFolder.out).replace(folder, QStringLiteral("URL")),
             QString(viaJson.out).replace(fileUrl ? QStringLiteral("file://") + json : json,
                                          QStringLiteral("URL")));
}

void TestCliFolder::noneOrSeveral_data()
{
    QTest::addColumn<QString>("verb");
    QTest::addColumn<bool>("several");
    for (const char *verb : {"info", "validate", "summary", "stats", "copy"}) {
        QTest::addRow("%s none", verb) << QString::fromLatin1(verb) << false;
        QTest::addRow("%s several", verb) << QString::fromLatin1(verb) << true;
    }
}

void TestCliFolder::noneOrSeveral()
{
    QFETCH(QString, verb);
    QFETCH(bool, several);
    const QString folder = several ? m_several : m_none;
    const QString message = several
        ? QStringLiteral("The folder %1 holds 2 JSON files (a.json, b.json) and no model.json; "
                         "give the path of the one to load.")
        : QStringLiteral("The folder %1 holds no model JSON file; give the path of the model "
                         "JSON file to load.");
    QStringList args{verb, folder};
    const QString dest = m_tmp.filePath(QStringLiteral("dest-") + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
    if (verb == QLatin1String("copy"))
        args << dest;
    const CliRun run = runBinary(args, m_store.path());
    QCOMPARE(run.code, 1);
    QCOMPARE(run.err, QStringLiteral("tfjs-model: %1 [path: %2]\n").arg(message.arg(folder), folder));
    QVERIFY(run.out.isEmpty());
    QVERIFY(!QFileInfo::exists(dest)); // nothing written
}

void TestCliFolder::copyFromFolder()
{
    const QString dest = m_tmp.filePath(QStringLiteral("copied"));
    const CliRun run = runBinary({QStringLiteral("copy"), m_one, dest}, m_store.path());
    QCOMPARE(run.code, 0);
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    QVERIFY(QFileInfo(dest + QStringLiteral("/model.json")).isFile());
    QCOMPARE(readFile(dest + QStringLiteral("/weights.bin")), smallWeights());
}

QTEST_GUILESS_MAIN(TestCliFolder)
#include "tst_clifolder.moc"
