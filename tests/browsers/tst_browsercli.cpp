// firefox:// through the CLI on a profile headless Firefox makes: `list` (one profile, every
// profile found below $HOME) prints every model with its origin and storage, each URL it
// prints works with info, validate, summary, stats and copy (weights identical to what the
// page saved), `browsers` finds the profile through profiles.ini, and saves, model URLs given
// to list, and missing profiles fail with exit 1 and a message, leaving the profile untouched.
#include "profilemaker.h"

#include "exportcheck.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

class TestBrowserCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_home;    // a home folder whose profiles.ini names the profile
    QString m_profile; // <home>/.mozilla/firefox/made.by-test
    PageReport m_report;
    FileStamps m_stamps;

    QString profileUrl() const { return QStringLiteral("firefox://") + m_profile; }
    // The listing as {url: entry}, or an empty object when `list` failed.
    Json listJson(const QString &where)
    {
        const CliRun run = runCli({QStringLiteral("list"), where, QStringLiteral("--json")});
        if (run.code != 0) {
            qWarning("list failed: %s", qPrintable(run.err));
            return Json::object();
        }
        return Json::parse(run.out.toStdString(), nullptr, false);
    }
    const SavedModel *savedFor(const Json &entry, const QString &url) const
    {
        const QString storage = QString::fromStdString(entry.value("storage", std::string()));
        for (const SavedModel &saved : m_report.models) {
            const QString model = QString::fromLatin1(QUrl::toPercentEncoding(saved.path));
            if (saved.storage == storage && url.endsWith(QStringLiteral("&model=") + model))
                return &saved;
        }
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        if (firefoxExecutable().isEmpty())
            QFAIL("firefox-esr is not installed (scripts/install-deps.sh installs it); the "
                  "browser tests need it.");
        QVERIFY(m_dir.isValid());
        m_home = m_dir.filePath(QStringLiteral("home"));
        const QString root = m_home + QStringLiteral("/.mozilla/firefox");
        m_profile = root + QStringLiteral("/made.by-test");
        QVERIFY(QDir().mkpath(m_profile));
        QFile ini(root + QStringLiteral("/profiles.ini"));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[Profile0]\nName=test\nIsRelative=1\nPath=made.by-test\nDefault=1\n");
        ini.close();
        QString why;
        auto report = makeFirefoxProfile(m_profile, why);
        QVERIFY2(report, qPrintable(why));
        m_report = *report;
        QVERIFY(!m_report.models.empty());
        m_stamps = fileStamps(m_profile);
        qputenv("HOME", m_home.toUtf8());
    }

    void listsEveryModelWithOriginAndStorage()
    {
        const Json listing = listJson(profileUrl());
        QCOMPARE(listing.size(), m_report.models.size());
        for (const auto &[key, entry] : listing.items()) {
            const QString url = QString::fromStdString(key);
            QVERIFY2(url.startsWith(profileUrl() + QLatin1Char('?')), qPrintable(url));
            QCOMPARE(QString::fromStdString(entry.value("origin", std::string())), savePageOrigin());
            const SavedModel *saved = savedFor(entry, url);
            QVERIFY2(saved, qPrintable(url));
            QCOMPARE(entry.value("weightDataBytes", qint64(-1)), saved->weightBytes);
        }
        // The same models when every profile below $HOME is listed.
        QCOMPARE(listJson(QStringLiteral("firefox://")).size(), m_report.models.size());
        // The table names every URL too.
        const CliRun table = runCli({QStringLiteral("list"), profileUrl()});
        QCOMPARE(table.code, 0);
        for (const auto &[key, entry] : listing.items())
            QVERIFY(table.out.contains(QString::fromStdString(key)));
    }

    void everyVerbTakesTheUrls()
    {
        const Json listing = listJson(profileUrl());
        QVERIFY(!listing.empty());
        int n = 0;
        for (const auto &[key, entry] : listing.items()) {
            const QString url = QString::fromStdString(key);
            for (const QString &verb : {QStringLiteral("info"), QStringLiteral("validate"),
                                        QStringLiteral("summary"), QStringLiteral("stats")}) {
                const CliRun run = runCli({verb, url});
                QVERIFY2(run.code == 0, qPrintable(verb + QLatin1Char(' ') + url + QLatin1Char(' ') + run.err));
            }
            const QString folder = m_dir.filePath(QStringLiteral("export/%1").arg(++n));
            QCOMPARE(exportedWeightsSha256(url, folder), savedFor(entry, url)->sha256);
        }
    }

    void browsersFindsTheProfile()
    {
        const CliRun run = runCli({QStringLiteral("browsers"), QStringLiteral("--json")});
        QCOMPARE(run.code, 0);
        const Json profiles = Json::parse(run.out.toStdString(), nullptr, false);
        QVERIFY(profiles.is_array());
        QCOMPARE(profiles.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(profiles[0]["path"].get<std::string>()), m_profile);
        QCOMPARE(QString::fromStdString(profiles[0]["name"].get<std::string>()), QStringLiteral("test"));
        QCOMPARE(QString::fromStdString(profiles[0]["url"].get<std::string>()), profileUrl());
    }

    void failuresExitOneAndWriteNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("save to a profile")
            << QStringList{QStringLiteral("copy"), QStringLiteral("@first"),
                           QStringLiteral("firefox://@profile?origin=o&storage=indexeddb&model=x")}
            << "model=x: firefox:// can only load models."; // after TF.js's "no save handler"
        QTest::newRow("missing profile")
            << QStringList{QStringLiteral("list"), QStringLiteral("firefox:///no/such/profile")}
            << "Cannot find the browser profile folder '/no/such/profile'";
        QTest::newRow("a model URL to list")
            << QStringList{QStringLiteral("list"), QStringLiteral("@first")} << "names one model";
        QTest::newRow("a profile URL to load")
            << QStringList{QStringLiteral("info"), QStringLiteral("firefox://@profile")}
            << "names a browser profile, not a model";
        QTest::newRow("a model that is not there")
            << QStringList{QStringLiteral("info"),
                           QStringLiteral("firefox://@profile?origin=http%3A%2F%2Fnowhere&storage=indexeddb&model=x")}
            << "has no indexeddb model 'x' of origin http://nowhere";
    }
    void failuresExitOneAndWriteNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Json listing = listJson(profileUrl());
        QVERIFY(!listing.empty());
        const QString first = QString::fromStdString(listing.begin().key());
        for (QString &arg : args)
            arg.replace(QStringLiteral("@first"), first).replace(QStringLiteral("@profile"), m_profile);
        const CliRun run = runCli(args);
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.startsWith(QStringLiteral("tfjs-model: ")), qPrintable(run.err));
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY(fileStamps(m_profile) == m_stamps);
    }
};

QTEST_GUILESS_MAIN(TestBrowserCli)
#include "tst_browsercli.moc"
