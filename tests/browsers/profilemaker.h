#pragma once

// Real browser profiles for the browser tests: headless Firefox runs the save page
// (savepage/savepage.html), which saves seeded TF.js models to indexeddb:// and
// localstorage:// and prints a report of what it saved. Header-only (each test is one .cpp).

#include "base/json.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QUrl>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace tfjs::test {

// One model the page saved (one line per URL: a model saved to both storages has two).
struct SavedModel
{
    QString url;          // "indexeddb://tiny"
    QString storage;      // "indexeddb" or "localstorage"
    QString path;         // "tiny"
    QString sha256;       // of the weight bytes, hex
    qint64 weightBytes = 0;
    Json topology;
    Json input;      // one input row
    Json prediction; // the model's output for it, in the page
};

struct PageReport
{
    std::vector<SavedModel> models;
    qint64 elapsedMs = 0; // from the browser's start to the report (or its exit)
};

inline QString savePageUrl(const QString &query = {})
{
    const QString page = QStringLiteral(TFJS_SOURCE_DIR "/tests/browsers/savepage/savepage.html");
    return QUrl::fromLocalFile(page).toString() + query;
}

// The origin Firefox records for the page: its file URL without query.
inline QString savePageOrigin()
{
    return savePageUrl();
}

// The prediction TF.js (Node, tests/interop/predict_saved.mjs) makes with a saved model.json
// for one input row, as JSON text; an error text starting with "error:" when it fails.
inline QByteArray predictInNode(const QString &modelJson, const Json &input)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty())
        return "error: node is not installed";
    QProcess process;
    process.start(node, {QStringLiteral(TFJS_SOURCE_DIR "/tests/interop/predict_saved.mjs"),
                         modelJson, QString::fromStdString(input.dump())});
    if (!process.waitForFinished(120000) || process.exitCode() != 0)
        return "error: " + process.readAllStandardError();
    return process.readAllStandardOutput().trimmed();
}

inline QString firefoxExecutable()
{
    for (const char *name : {"firefox-esr", "firefox"}) {
        const QString found = QStandardPaths::findExecutable(QString::fromLatin1(name));
        if (!found.isEmpty())
            return found;
    }
    return {};
}

// Parses the page's "TFJS-REPORT {json}" line out of the browser's output; an error text
// (or the page's TFJS-ERROR line) when there is none.
inline std::optional<PageReport> parseReport(const QByteArray &output, QString &why)
{
    for (const QByteArray &line : output.split('\n')) {
        if (line.startsWith("TFJS-ERROR")) {
            why = QString::fromUtf8(line);
            return std::nullopt;
        }
        if (!line.startsWith("TFJS-REPORT "))
            continue;
        const Json json = Json::parse(line.mid(12).toStdString(), nullptr, false);
        if (json.is_discarded() || !json.contains("models")) {
            why = QStringLiteral("the report line is not JSON");
            return std::nullopt;
        }
        PageReport report;
        for (const Json &model : json["models"]) {
            SavedModel saved;
            saved.url = QString::fromStdString(model["url"].get<std::string>());
            const qsizetype colon = saved.url.indexOf(QStringLiteral("://"));
            saved.storage = saved.url.left(colon);
            saved.path = saved.url.mid(colon + 3);
            saved.sha256 = QString::fromStdString(model["sha256"].get<std::string>());
            saved.weightBytes = model["weightBytes"].get<qint64>();
            saved.topology = model["topology"];
            saved.input = model["input"];
            saved.prediction = model["prediction"];
            report.models.push_back(saved);
        }
        return report;
    }
    why = QStringLiteral("no TFJS-REPORT line in the browser's output");
    return std::nullopt;
}

// The repository served on 127.0.0.1 by Python's http.server (Debian's python3), so the save
// page runs with an http:// origin: http://127.0.0.1:<port>/tests/browsers/savepage/...
class RepositoryServer
{
public:
    bool start()
    {
        QTcpServer probe; // a free port
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return false;
        m_port = probe.serverPort();
        probe.close();
        m_process.start(QStringLiteral("python3"),
                        {QStringLiteral("-m"), QStringLiteral("http.server"), QStringLiteral("--bind"),
                         QStringLiteral("127.0.0.1"), QString::number(m_port),
                         QStringLiteral("--directory"), QStringLiteral(TFJS_SOURCE_DIR)});
        if (!m_process.waitForStarted(10000))
            return false;
        for (int i = 0; i < 100; ++i) { // until it accepts connections
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_port);
            if (socket.waitForConnected(100))
                return true;
            QThread::msleep(50);
        }
        return false;
    }
    ~RepositoryServer()
    {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
    QString origin() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QString pageUrl(const QString &query) const
    {
        return origin() + QStringLiteral("/tests/browsers/savepage/savepage.html") + query;
    }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

// Headless Firefox on a fresh profile in `profileDir`. Preferences: scripts may close the
// window (the page closes it: a clean exit is what writes localStorage to disk), dump() prints
// to stdout, and no first-run or update work.
class FirefoxRun
{
public:
    static void writeUserJs(const QString &profileDir)
    {
        const QString target = profileDir + QStringLiteral("/user.js");
        QFile::remove(target);
        QFile::copy(QStringLiteral(TFJS_SOURCE_DIR "/tests/browsers/savepage/firefox-user.js"), target);
    }

    // Starts Firefox on `url` (savePageUrl() or the page from a server).
    bool start(const QString &profileDir, const QString &url)
    {
        writeUserJs(profileDir);
        m_timer.start();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::SeparateChannels);
        // Its stderr (network and telemetry noise) is not read: a full pipe would stall it.
        m_process->setStandardErrorFile(QProcess::nullDevice());
        m_process->start(firefoxExecutable(),
                         {QStringLiteral("-headless"), QStringLiteral("-no-remote"),
                          QStringLiteral("-profile"), profileDir, url});
        return m_process->waitForStarted(30000);
    }

    // Waits (at most `timeoutMs`) for the report line; the browser keeps running.
    std::optional<PageReport> waitForReport(QString &why, int timeoutMs = 180000)
    {
        while (!m_output.contains("TFJS-DONE") && !m_output.contains("TFJS-ERROR")
               && m_timer.elapsed() < timeoutMs) {
            if (m_process->state() == QProcess::NotRunning)
                break;
            m_process->waitForReadyRead(1000);
            m_output += m_process->readAllStandardOutput();
        }
        auto report = parseReport(m_output, why);
        if (report)
            report->elapsedMs = m_timer.elapsed();
        return report;
    }

    // Waits for the browser to exit by itself (the page closed its window).
    bool waitForExit(int timeoutMs = 180000)
    {
        const bool exited = m_process->waitForFinished(timeoutMs);
        m_output += m_process->readAllStandardOutput();
        return exited && m_process->exitStatus() == QProcess::NormalExit;
    }

    // Ends this run's browser (its own process id, nothing else).
    void kill()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(30000);
        }
    }

    ~FirefoxRun() { kill(); }

    QByteArray output() const { return m_output; }
    qint64 elapsedMs() const { return m_timer.elapsed(); }

private:
    std::unique_ptr<QProcess> m_process;
    QByteArray m_output;
    QElapsedTimer m_timer;
};

// Makes a profile: Firefox runs the page to its end and exits. The report, or nullopt and why.
inline std::optional<PageReport> makeFirefoxProfile(const QString &profileDir, QString &why)
{
    FirefoxRun run;
    if (!run.start(profileDir, savePageUrl())) {
        why = QStringLiteral("Firefox did not start");
        return std::nullopt;
    }
    auto report = run.waitForReport(why);
    if (!run.waitForExit()) {
        why = QStringLiteral("Firefox did not exit after the page closed its window");
        return std::nullopt;
    }
    if (report)
        report->elapsedMs = run.elapsedMs();
    return report;
}

// Every file under `dir` with its size, modification time and SHA-256: what must not change
// when a profile is read.
using FileStamps = std::map<QString, QString>;
inline FileStamps fileStamps(const QString &dir)
{
    FileStamps out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info(path);
        QFile file(path);
        QByteArray hash;
        if (file.open(QIODevice::ReadOnly))
            hash = QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
        out[path] = QStringLiteral("%1 %2 %3")
                        .arg(info.size())
                        .arg(info.lastModified().toMSecsSinceEpoch())
                        .arg(QString::fromLatin1(hash));
    }
    return out;
}

} // namespace tfjs::test
