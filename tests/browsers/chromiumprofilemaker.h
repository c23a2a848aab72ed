#pragma once

// Real Chromium profiles for the browser tests: headless Chromium runs the save page
// (savepage/savepage.html) on a fresh --user-data-dir; the page saves seeded TF.js models to
// indexeddb:// and localstorage://, logs a report to the console (Chromium prints it on stderr
// with --enable-logging=stderr) and closes its window. Header-only (each test is one .cpp).

#include "base/json.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryFile>
#include <QThread>
#include <QUrl>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace tfjs::test {

// One model the page saved (a model saved to both storages is two).
struct SavedModel
{
    QString storage; // "indexeddb", "localstorage"
    QString path; // "tiny"
    QString sha256; // of the weight bytes, hex
    qint64 weightBytes = 0;
    Json topology;
};

inline QString chromiumExecutable()
{
    for (const char *name : {"chromium", "chromium-browser"}) {
        const QString found = QStandardPaths::findExecutable(QString::fromLatin1(name));
        if (!found.isEmpty())
            return found;
    }
    return {};
}

// Chromium runs the page from a file:// URL, whose origin it records as "file://".
inline const QString kSavePageOrigin = QStringLiteral("file://");

// Headless Chromium on the save page with `userDataDir` (the profile is its "Default").
class ChromiumRun
{
public:
    // `query` ("?stay=1": the page stays open after its report) is appended to the page URL;
    // `features` ("IdbSqliteBackingStore") go to --enable-features.
    bool start(const QString &userDataDir, const QString &query = {}, const QString &features = {})
    {
        const QString page
            = QStringLiteral(TFJS_SOURCE_DIR "/tests/browsers/savepage/savepage.html");
        m_process = std::make_unique<QProcess>();
        // Output to a file, not a pipe: nothing reads a pipe while a test works beside the
        // running browser, and a full one would stall it.
        if (!m_log.open())
            return false;
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->setStandardOutputFile(m_log.fileName());
        QStringList arguments{QStringLiteral("--headless=new"),
                              QStringLiteral("--no-sandbox"), // tests run as root
                              QStringLiteral("--disable-gpu"),
                              QStringLiteral("--no-first-run"),
                              QStringLiteral("--no-default-browser-check"),
                              QStringLiteral("--enable-logging=stderr"),
                              QStringLiteral("--v=0"),
                              QStringLiteral("--user-data-dir=") + userDataDir};
        if (!features.isEmpty())
            arguments << QStringLiteral("--enable-features=") + features;
        m_process->start(chromiumExecutable(),
                         arguments << QUrl::fromLocalFile(page).toString() + query);
        m_timer.start();
        return m_process->waitForStarted(30000);
    }

    // Waits (at most `timeoutMs`) for the page's TFJS-DONE or TFJS-ERROR; the browser keeps
    // running.
    std::optional<std::vector<SavedModel>> waitForReport(QString &why, int timeoutMs = 180000)
    {
        for (;;) {
            const bool running = m_process->state() != QProcess::NotRunning;
            m_output += m_log.readAll();
            if (m_output.contains("\"TFJS-DONE\"") || m_output.contains("TFJS-ERROR") || !running
                || m_timer.elapsed() >= timeoutMs)
                break;
            QThread::msleep(200);
        }
        return parse(why);
    }

    bool waitForExit(int timeoutMs = 180000)
    {
        const bool exited = m_process->waitForFinished(timeoutMs);
        m_output += m_log.readAll();
        return exited && m_process->exitStatus() == QProcess::NormalExit;
    }

    // Ends this run's browser (its own process id; Chromium's children follow it).
    void kill()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->terminate();
            if (!m_process->waitForFinished(20000)) {
                m_process->kill();
                m_process->waitForFinished(20000);
            }
        }
    }
    ~ChromiumRun() { kill(); }

    QByteArray output() const { return m_output; }
    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }

private:
    // Console lines look like: [pid:tid:date:INFO:CONSOLE:13] "TFJS-REPORT {...}", source: ... (13)
    std::optional<std::vector<SavedModel>> parse(QString &why) const
    {
        const QByteArray start = "\"TFJS-REPORT ";
        for (const QByteArray &line : m_output.split('\n')) {
            if (line.contains("TFJS-ERROR")) {
                why = QString::fromUtf8(line);
                return std::nullopt;
            }
            const qsizetype at = line.indexOf(start);
            const qsizetype end = line.lastIndexOf("\", source: ");
            if (at < 0 || end < at)
                continue;
            const QByteArray text = line.mid(at + start.size(), end - at - start.size());
            const Json json = Json::parse(text.toStdString(), nullptr, false);
            if (json.is_discarded() || !json.contains("models")) {
                why = QStringLiteral("the report line is not JSON");
                return std::nullopt;
            }
            std::vector<SavedModel> models;
            for (const Json &model : json["models"]) {
                const QString url = QString::fromStdString(model["url"].get<std::string>());
                const qsizetype colon = url.indexOf(QStringLiteral("://"));
                models.push_back({url.left(colon), url.mid(colon + 3),
                                  QString::fromStdString(model["sha256"].get<std::string>()),
                                  model["weightBytes"].get<qint64>(), model["topology"]});
            }
            return models;
        }
        why = QStringLiteral("no TFJS-REPORT line in Chromium's output: ")
            + QString::fromUtf8(m_output.right(2000));
        return std::nullopt;
    }

    std::unique_ptr<QProcess> m_process;
    QTemporaryFile m_log;
    QByteArray m_output;
    QElapsedTimer m_timer;
};

// Makes a profile in `userDataDir`: Chromium runs the page to its end and exits.
inline std::optional<std::vector<SavedModel>>
makeChromiumProfile(const QString &userDataDir, QString &why, const QString &features = {})
{
    ChromiumRun run;
    if (!run.start(userDataDir, {}, features)) {
        why = QStringLiteral("Chromium did not start");
        return std::nullopt;
    }
    auto report = run.waitForReport(why);
    if (report && !run.waitForExit()) {
        why = QStringLiteral("Chromium did not exit after the page closed its window");
        return std::nullopt;
    }
    return report;
}

// Every file under `dir` with its size, modification time and SHA-256: what reading a
// profile must leave as it was.
inline std::map<QString, QString> fileStamps(const QString &dir)
{
    std::map<QString, QString> out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        const QByteArray hash = file.open(QIODevice::ReadOnly)
            ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex()
            : QByteArray("unreadable");
        out[path] = QStringLiteral("%1 %2 %3")
                        .arg(it.fileInfo().size())
                        .arg(it.fileInfo().lastModified().toMSecsSinceEpoch())
                        .arg(QString::fromLatin1(hash));
    }
    return out;
}

} // namespace tfjs::test
