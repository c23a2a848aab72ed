// tfjs-model's global options (--store, --downloads, --no-progress, --durable, the HTTP ones)
// work after the verb and before it, as git and docker take them; an option of a verb before
// the verb is a usage error.
#include "clirun.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

class TestCliGlobalOptions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void bothPositions_data();
    void bothPositions();
    void beforeTheVerbReachesTheVerb();
    void helpAfterGlobalOptions();
    void errorsBeforeTheVerb_data();
    void errorsBeforeTheVerb();
    void binary();

private:
    QTemporaryDir m_empty; // TFJS_STORE_DIR: an empty store, so only --store finds the model
    QTemporaryDir m_tmp;
    QString m_store;
};

void TestCliGlobalOptions::initTestCase()
{
    QVERIFY(m_empty.isValid());
    QVERIFY(m_tmp.isValid());
    qputenv("TFJS_STORE_DIR", QFile::encodeName(m_empty.path()));
    m_store = m_tmp.filePath(QStringLiteral("store"));
    const QString model = writeSmallModel(m_tmp.filePath(QStringLiteral("model")));
    const CliRun saved = runCli({ QStringLiteral("copy"), model, QStringLiteral("indexeddb://m"),
        QStringLiteral("--store"), m_store });
    QVERIFY2(saved.code == 0, qPrintable(saved.err));
}

void TestCliGlobalOptions::bothPositions_data()
{
    QTest::addColumn<QStringList>("args"); // {store}: the store holding indexeddb://m
    const QString list = QStringLiteral("list");
    const QString idb = QStringLiteral("indexeddb://");
    const QString store = QStringLiteral("--store");
    QTest::newRow("after the verb") << QStringList { list, idb, store, QStringLiteral("{store}") };
    QTest::newRow("before the verb") << QStringList { store, QStringLiteral("{store}"), list, idb };
    QTest::newRow("before the verb, --store=DIR")
        << QStringList { QStringLiteral("--store={store}"), list, idb };
    QTest::newRow("several before the verb") << QStringList { QStringLiteral("--no-progress"),
        QStringLiteral("--durable"), store, QStringLiteral("{store}"), list, idb };
    QTest::newRow("on both sides") << QStringList { QStringLiteral("--no-progress"), list, idb,
        store, QStringLiteral("{store}") };
    QTest::newRow("before the verb, a verb option after")
        << QStringList { store, QStringLiteral("{store}"), list, QStringLiteral("--json"), idb };
}

void TestCliGlobalOptions::bothPositions()
{
    QFETCH(QStringList, args);
    for (QString &arg : args)
        arg.replace(QStringLiteral("{store}"), m_store);
    const CliRun run = runCli(args);
    QVERIFY2(run.code == 0, qPrintable(run.err));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    // The same answer whichever side the options are on.
    QStringList after = { QStringLiteral("list"), QStringLiteral("indexeddb://"),
        QStringLiteral("--store"), m_store };
    if (args.contains(QStringLiteral("--json")))
        after << QStringLiteral("--json");
    const CliRun reference = runCli(after);
    QCOMPARE(run.out, reference.out);
    QVERIFY2(run.out.contains(QStringLiteral("indexeddb://m")), qPrintable(run.out));
    // Without the option the (empty) default store is listed: the option took effect.
    after.removeAt(3);
    after.removeAt(2);
    QVERIFY(runCli(after).out != reference.out);
}

void TestCliGlobalOptions::beforeTheVerbReachesTheVerb()
{
    // An HTTP option before the verb is checked as after it.
    const CliRun bad = runCli({ QStringLiteral("--method"), QStringLiteral("P O"),
        QStringLiteral("info"), QStringLiteral("x") });
    QCOMPARE(bad.code, 2);
    QVERIFY2(bad.err.startsWith(QStringLiteral("tfjs-model: 'P O' is not an HTTP method.\n\n"
                                               "Usage: tfjs-model info [options] URL")),
        qPrintable(bad.err));
    // --downloads before the verb picks the folder a save writes to.
    QTemporaryDir tmp;
    const QString model = writeSmallModel(tmp.filePath(QStringLiteral("model")));
    const QString downloads = tmp.filePath(QStringLiteral("Downloads"));
    QVERIFY(QDir().mkpath(downloads));
    const CliRun saved = runCli({ QStringLiteral("--downloads"), downloads, QStringLiteral("copy"),
        model, QStringLiteral("downloads://x") });
    QVERIFY2(saved.code == 0, qPrintable(saved.err));
    QCOMPARE(listing(downloads),
        (QStringList { QStringLiteral("x.json"), QStringLiteral("x.weights.bin") }));
}

void TestCliGlobalOptions::helpAfterGlobalOptions()
{
    const CliRun global = runCli({ QStringLiteral("--store"), m_store, QStringLiteral("--help") });
    QCOMPARE(global.code, 0);
    QVERIFY2(global.out.startsWith(QStringLiteral("Usage: tfjs-model VERB [options] ARGS...\n")),
        qPrintable(global.out));
    QVERIFY(global.out.contains(QStringLiteral("Global options go after the verb or before it")));
    const CliRun verb = runCli(
        { QStringLiteral("--no-progress"), QStringLiteral("help"), QStringLiteral("copy") });
    QCOMPARE(verb.code, 0);
    QVERIFY2(verb.out.startsWith(QStringLiteral("Usage: tfjs-model copy [options] SRC DST")),
        qPrintable(verb.out));
    const CliRun verbFlag = runCli(
        { QStringLiteral("--store"), m_store, QStringLiteral("list"), QStringLiteral("-h") });
    QCOMPARE(verbFlag.code, 0);
    QVERIFY(verbFlag.out.startsWith(QStringLiteral("Usage: tfjs-model list [options]")));
}

void TestCliGlobalOptions::errorsBeforeTheVerb_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message"); // the first line of stderr
    const QString verbOption = QStringLiteral(
        "tfjs-model: '%1' before the verb is not a global option; a verb's own options go after "
        "the verb (tfjs-model VERB [options] ARGS...).");
    QTest::newRow("a verb's flag")
        << QStringList { QStringLiteral("--json"), QStringLiteral("info"), QStringLiteral("x") }
        << verbOption.arg(QStringLiteral("--json"));
    QTest::newRow("a verb's option with a value") << QStringList { QStringLiteral("--bins"),
        QStringLiteral("5"), QStringLiteral("stats"), QStringLiteral("x") }
                                                  << verbOption.arg(QStringLiteral("--bins"));
    QTest::newRow("after a global option") << QStringList { QStringLiteral("--no-progress"),
        QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("indexeddb://") }
                                           << verbOption.arg(QStringLiteral("--json"));
    QTest::newRow("unknown") << QStringList { QStringLiteral("--bogus"), QStringLiteral("list") }
                             << verbOption.arg(QStringLiteral("--bogus"));
    QTest::newRow("a short one") << QStringList { QStringLiteral("-x"), QStringLiteral("list") }
                                 << verbOption.arg(QStringLiteral("-x"));
    QTest::newRow("missing value") << QStringList { QStringLiteral("--store") }
                                   << QStringLiteral("tfjs-model: Missing value after '--store'.");
    QTest::newRow("no verb") << QStringList { QStringLiteral("--no-progress") }
                             << QStringLiteral("tfjs-model: no verb after the global options.");
    QTest::newRow("unknown verb") << QStringList { QStringLiteral("--no-progress"),
        QStringLiteral("frob") } << QStringLiteral("tfjs-model: unknown verb 'frob'.");
}

void TestCliGlobalOptions::errorsBeforeTheVerb()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = runCli(args);
    QCOMPARE(run.code, 2);
    QCOMPARE(run.err.section(QLatin1Char('\n'), 0, 0), message);
    QVERIFY2(run.err.contains(QStringLiteral("\n\nUsage: tfjs-model VERB [options] ARGS...\n")),
        qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

void TestCliGlobalOptions::binary()
{
    const CliRun listed = runBinary({ QStringLiteral("--store"), m_store, QStringLiteral("list"),
                                        QStringLiteral("indexeddb://") },
        m_empty.path());
    QCOMPARE(listed.code, 0);
    QCOMPARE(listed.out,
        runCli({ QStringLiteral("list"), QStringLiteral("indexeddb://"), QStringLiteral("--store"),
                   m_store })
            .out);
    const CliRun refused = runBinary(
        { QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("indexeddb://") },
        m_empty.path());
    QCOMPARE(refused.code, 2);
    QVERIFY(refused.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliGlobalOptions)
#include "tst_cliglobaloptions.moc"
