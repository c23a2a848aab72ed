// chromium:// through the CLI on a profile headless Chromium makes: a user-data-dir given to
// `list` stands for its profiles, every model is listed with its origin and storage, and every
// URL listed loads (`info`) and exports (`copy` to a folder) with the weights the page saved;
// the profile's files stay as they were.
#include "chromiumprofilemaker.h"

#include "exportcheck.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

class TestChromiumCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_userData;
    QTemporaryDir m_out;
    std::vector<SavedModel> m_report;

private slots:
    void initTestCase()
    {
        if (chromiumExecutable().isEmpty())
            QFAIL("chromium is not installed (scripts/install-deps.sh installs it); the browser "
                  "tests need it.");
        QVERIFY(m_userData.isValid() && m_out.isValid());
        QString why;
        auto report = makeChromiumProfile(m_userData.path(), why);
        QVERIFY2(report, qPrintable(why));
        m_report = std::move(*report);
        QVERIFY(!m_report.empty());
    }

    void listsAndExportsEveryModel()
    {
        const auto before = fileStamps(m_userData.path());
        const CliRun list = runCli({QStringLiteral("list"),
                                    QStringLiteral("chromium://") + m_userData.path(),
                                    QStringLiteral("--json")});
        QVERIFY2(list.code == 0, qPrintable(list.err));
        const Json listing = Json::parse(list.out.toStdString(), nullptr, false);
        QVERIFY(listing.is_object());
        QCOMPARE(listing.size(), m_report.size());
        int n = 0;
        for (const auto &[key, entry] : listing.items()) {
            const QString url = QString::fromStdString(key);
            QVERIFY2(url.startsWith(QStringLiteral("chromium://") + m_userData.path()
                                    + QStringLiteral("/Default?")),
                     qPrintable(url));
            QCOMPARE(QString::fromStdString(entry.value("origin", std::string())), kSavePageOrigin);
            const QString storage = QString::fromStdString(entry.value("storage", std::string()));
            const SavedModel *saved = nullptr;
            for (const SavedModel &model : m_report) {
                const QString path = QString::fromLatin1(QUrl::toPercentEncoding(model.path));
                if (model.storage == storage && url.endsWith(QStringLiteral("&model=") + path))
                    saved = &model;
            }
            QVERIFY2(saved, qPrintable(url));
            const CliRun info = runCli({QStringLiteral("info"), url});
            QVERIFY2(info.code == 0, qPrintable(info.err));
            const QString folder = m_out.filePath(QString::number(++n));
            QCOMPARE(exportedWeightsSha256(url, folder), saved->sha256);
        }
        QVERIFY(fileStamps(m_userData.path()) == before);
    }
};

QTEST_GUILESS_MAIN(TestChromiumCli)
#include "tst_chromiumcli.moc"
