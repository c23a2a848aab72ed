// Where firefox:// and chromium:// look for profiles: Firefox's profiles.ini (relative and
// absolute paths, missing folders skipped) and Chromium-family user-data-dirs (Local State's
// names, folders holding Preferences), below a home folder laid out as the browsers do.
#include "browser/profilefinder.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;

namespace {

void write(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

QStringList describe(const std::vector<BrowserProfile> &profiles)
{
    QStringList out;
    for (const BrowserProfile &p : profiles)
        out << p.scheme + QLatin1Char('|') + p.product + QLatin1Char('|') + p.name + QLatin1Char('|') + p.path;
    return out;
}

} // namespace

class TestProfileFinder : public QObject
{
    Q_OBJECT

private slots:
    void firefox()
    {
        QTemporaryDir home;
        const QString root = home.filePath(QStringLiteral(".mozilla/firefox"));
        const QString elsewhere = home.filePath(QStringLiteral("elsewhere/custom"));
        QDir().mkpath(root + QStringLiteral("/ab12.default-esr"));
        QDir().mkpath(elsewhere);
        write(root + QStringLiteral("/profiles.ini"),
              "[General]\nStartWithLastProfile=1\n\n"
              "[Profile0]\nName=default-esr\nIsRelative=1\nPath=ab12.default-esr\nDefault=1\n\n"
              "[Profile1]\nName=work\nIsRelative=0\nPath=" + elsewhere.toUtf8() + "\n\n"
              "[Profile2]\nName=gone\nIsRelative=1\nPath=zz99.gone\n\n"
              "[Install4F96D1932A9F858E]\nDefault=ab12.default-esr\n");
        const QString flatpak = home.filePath(QStringLiteral(".var/app/org.mozilla.firefox/.mozilla/firefox"));
        QDir().mkpath(flatpak + QStringLiteral("/cd34.default"));
        write(flatpak + QStringLiteral("/profiles.ini"),
              "[Profile0]\nName=default\nIsRelative=1\nPath=cd34.default\n");

        QCOMPARE(describe(findProfiles(QStringLiteral("firefox"), home.path())),
                 QStringList({QStringLiteral("firefox|Firefox|default-esr|") + root + QStringLiteral("/ab12.default-esr"),
                              QStringLiteral("firefox|Firefox|work|") + elsewhere,
                              QStringLiteral("firefox|Firefox (flatpak)|default|") + flatpak + QStringLiteral("/cd34.default")}));
        QVERIFY(findProfiles(QStringLiteral("chromium"), home.path()).empty());
    }

    void chromium()
    {
        QTemporaryDir home;
        const QString chromium = home.filePath(QStringLiteral(".config/chromium"));
        write(chromium + QStringLiteral("/Local State"),
              R"({"profile":{"info_cache":{"Default":{"name":"Person 1"},"Profile 2":{"name":"Work"}}}})");
        write(chromium + QStringLiteral("/Default/Preferences"), "{}");
        write(chromium + QStringLiteral("/Profile 2/Preferences"), "{}");
        write(chromium + QStringLiteral("/Profile 3/Preferences"), "{}"); // not in Local State
        QDir().mkpath(chromium + QStringLiteral("/Crashpad"));             // not a profile
        const QString chrome = home.filePath(QStringLiteral(".config/google-chrome"));
        write(chrome + QStringLiteral("/Local State"), "not json");
        write(chrome + QStringLiteral("/Default/Preferences"), "{}");

        QCOMPARE(describe(findProfiles(QStringLiteral("chromium"), home.path())),
                 QStringList({QStringLiteral("chromium|Chromium|Person 1|") + chromium + QStringLiteral("/Default"),
                              QStringLiteral("chromium|Chromium|Work|") + chromium + QStringLiteral("/Profile 2"),
                              QStringLiteral("chromium|Chromium|Profile 3|") + chromium + QStringLiteral("/Profile 3"),
                              QStringLiteral("chromium|Google Chrome|Default|") + chrome + QStringLiteral("/Default")}));

        // A user-data-dir given by hand stands for its profiles; a profile folder for itself.
        QCOMPARE(chromiumProfilesIn(chromium).size(), size_t(3));
        QCOMPARE(describe(chromiumProfilesIn(chromium + QStringLiteral("/Profile 2"))),
                 QStringList({QStringLiteral("chromium|Chromium|Profile 2|") + chromium + QStringLiteral("/Profile 2")}));
    }

    void nothingFound()
    {
        QTemporaryDir home;
        QVERIFY(findProfiles(QStringLiteral("firefox"), home.path()).empty());
        QVERIFY(findProfiles(QStringLiteral("chromium"), home.path()).empty());
        QVERIFY(findProfiles(QStringLiteral("opera"), home.path()).empty());
    }
};

QTEST_GUILESS_MAIN(TestProfileFinder)
#include "tst_profilefinder.moc"
