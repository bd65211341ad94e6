#include "tests/support/ChildServer.h"

#include "tests/support/TestUtil.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <signal.h>
#include <sys/types.h>

namespace tern::test {

ChildServer::ChildServer(QObject *parent) : QObject(parent)
{
    m_dataDir = m_dir.filePath(QStringLiteral("data"));
    QDir().mkpath(m_dataDir);
}

ChildServer::~ChildServer()
{
    if (isRunning()) {
        ::kill(pid_t(m_pid), SIGKILL);
        m_process->waitForFinished(5'000);
    }
}

QString ChildServer::binaryPath()
{
    return qEnvironmentVariable("TERND_BINARY");
}

bool ChildServer::start(int timeoutMs)
{
    if (isRunning()) {
        m_error = QStringLiteral("already running");
        return false;
    }
    const QString binary = binaryPath();
    if (binary.isEmpty() || !QFileInfo(binary).isExecutable()) {
        m_error = QStringLiteral("TERND_BINARY is not set to an executable (\"%1\")").arg(binary);
        return false;
    }
    if (m_process)
        m_process->deleteLater();
    m_process = new QProcess(this);
    m_stdout.clear();
    m_port = 0;
    m_pid = 0;
    m_finished = false;
    m_exitCode = -1;

    QString outDir = qEnvironmentVariable("TERN_TEST_OUTDIR");
    if (outDir.isEmpty() || !QDir().mkpath(outDir))
        outDir = m_dir.path();
    m_logPath = QDir(outDir).filePath(QStringLiteral("%1-ternd-%2-%3.log")
                                          .arg(QCoreApplication::applicationName())
                                          .arg(QCoreApplication::applicationPid())
                                          .arg(++m_starts));
    m_process->setStandardErrorFile(m_logPath);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &ChildServer::onStdout);
    QProcess *process = m_process;
    connect(m_process, &QProcess::finished, this,
            [this, process](int exitCode, QProcess::ExitStatus status) {
                if (process != m_process)
                    return;
                m_finished = true;
                m_exitCode = exitCode;
                m_exitStatus = status;
            });

    QStringList args{QStringLiteral("--bind"),          QStringLiteral("127.0.0.1"),
                     QStringLiteral("--port"),          QStringLiteral("0"),
                     QStringLiteral("--data-dir"),      m_dataDir,
                     QStringLiteral("--password-cost"), QStringLiteral("min")};
    const bool ownCertificate =
        std::any_of(m_extraArgs.begin(), m_extraArgs.end(), [](const QString &a) {
            return a == QLatin1String("--tls-cert") || a.startsWith(QLatin1String("--tls-cert="));
        });
    if (m_tls == Tls::Off && !ownCertificate)
        args << QStringLiteral("--no-tls");
    args += m_extraArgs;
    m_process->start(binary, args);
    if (!m_process->waitForStarted(10'000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(binary, m_process->errorString());
        m_finished = true;
        return false;
    }
    m_pid = m_process->processId();
    const bool listening = spinUntil([this] { return m_port != 0 || m_finished; }, timeoutMs);
    if (!listening || m_port == 0) {
        m_error = m_finished ? QStringLiteral("ternd exited (code %1) before listening; log:\n%2")
                                   .arg(m_exitCode)
                                   .arg(logTail())
                             : QStringLiteral("no \"listening\" line within %1 ms; stdout: %2")
                                   .arg(timeoutMs)
                                   .arg(QString::fromUtf8(m_stdout.left(2000)));
        if (!m_finished)
            kill();
        return false;
    }
    return true;
}

bool ChildServer::restart(int timeoutMs)
{
    if (isRunning())
        kill();
    return start(timeoutMs);
}

void ChildServer::onStdout()
{
    m_stdout += m_process->readAllStandardOutput();
    if (m_port != 0) {
        if (m_stdout.size() > 64 * 1024)
            m_stdout = m_stdout.right(16 * 1024);
        return;
    }
    static const QRegularExpression listening(
        QStringLiteral("ternd listening on (wss?)://[^\\s/]*:(\\d+)/ws"));
    const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_stdout));
    if (match.hasMatch()) {
        m_secure = match.captured(1) == QLatin1String("wss");
        m_port = quint16(match.captured(2).toUInt());
    }
}

void ChildServer::kill()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_pid), SIGKILL);
    if (!waitForExit(10'000))
        qWarning("ChildServer: ternd %lld still running 10 s after SIGKILL", m_pid);
}

void ChildServer::sendTerminate()
{
    if (isRunning())
        ::kill(pid_t(m_pid), SIGTERM);
}

bool ChildServer::terminate(int timeoutMs)
{
    if (!isRunning())
        return true;
    sendTerminate();
    return waitForExit(timeoutMs);
}

bool ChildServer::waitForExit(int timeoutMs)
{
    return spinUntil([this] { return m_finished; }, timeoutMs);
}

bool ChildServer::isRunning() const
{
    return m_process && !m_finished;
}

QUrl ChildServer::url() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/ws")
                    .arg(m_secure ? QStringLiteral("wss") : QStringLiteral("ws"))
                    .arg(m_port));
}

QString ChildServer::certificatePath() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("tls/cert.pem"));
}

QString ChildServer::logTail(int maxBytes) const
{
    QFile file(m_logPath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    if (file.size() > maxBytes)
        file.seek(file.size() - maxBytes);
    return QString::fromUtf8(file.readAll());
}

qint64 ChildServer::rssKiB() const
{
    return isRunning() ? tern::test::rssKiB(m_pid) : -1;
}

} // namespace tern::test
