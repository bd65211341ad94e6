#include "app/session/ServerHost.h"

#include "shared/core/ContinueOn.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFuture>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QNetworkInterface>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtConcurrent>

namespace tern::app::session {

namespace {

Q_LOGGING_CATEGORY(lcHost, "tern.host")

// Enough of stderr to explain a failure ("cannot listen on …: address in use").
constexpr qsizetype kStderrKeepBytes = 4096;
// A chatty child must not grow our memory while we wait for its one line.
constexpr qsizetype kStdoutKeepBytes = 64 * 1024;
// The destructor's last-resort waits (app shutdown only).
constexpr int kDestructorTermWaitMs = 5000;
constexpr int kDestructorKillWaitMs = 1000;

bool isExecutableFile(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}

} // namespace

ServerHost::ServerHost(QObject *parent) : QObject(parent)
{
    m_killTimer.setSingleShot(true);
    m_killTimer.setInterval(kStopTimeoutMs);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            qCWarning(lcHost) << "ternd did not stop within" << kStopTimeoutMs << "ms; killing it";
            m_process->kill();
        }
    });
    m_startTimer.setSingleShot(true);
    m_startTimer.setInterval(kStartTimeoutMs);
    connect(&m_startTimer, &QTimer::timeout, this, &ServerHost::onStartTimeout);
}

ServerHost::~ServerHost()
{
    if (!m_process)
        return;
    // No signals into a half-destroyed object while we wait below.
    m_process->disconnect(this);
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(kDestructorTermWaitMs)) {
            m_process->kill();
            m_process->waitForFinished(kDestructorKillWaitMs);
        }
    }
    delete m_process;
}

QString ServerHost::findBinary()
{
    const QString fromEnv = qEnvironmentVariable("TERND_BINARY");
    if (!fromEnv.isEmpty())
        return isExecutableFile(fromEnv) ? QFileInfo(fromEnv).absoluteFilePath() : QString();

    const QDir appDir(QCoreApplication::applicationDirPath());
    const QStringList candidates = {
        appDir.filePath(QStringLiteral("ternd")),
        // The build tree: build/app/tern next to build/server/ternd.
        appDir.filePath(QStringLiteral("../server/ternd")),
    };
    for (const QString &candidate : candidates) {
        if (isExecutableFile(candidate))
            return QFileInfo(candidate).absoluteFilePath();
    }
    return QStandardPaths::findExecutable(QStringLiteral("ternd"));
}

quint16 ServerHost::parseListeningPort(const QString &line, bool *tls, QString *host)
{
    static const QRegularExpression re(
        QStringLiteral(R"(^ternd listening on (wss?)://(\[[^\]]+\]|[^\s:/]+):(\d{1,5})/ws\b)"));
    const QRegularExpressionMatch match = re.match(line);
    if (!match.hasMatch())
        return 0;
    bool ok = false;
    const uint port = match.captured(3).toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return 0;
    if (tls)
        *tls = match.captured(1) == QLatin1String("wss");
    if (host)
        *host = match.captured(2).remove(QLatin1Char('[')).remove(QLatin1Char(']'));
    return quint16(port);
}

QStringList ServerHost::lanAddresses(const QString &boundHost, quint16 port)
{
    const QHostAddress bound(boundHost);
    const bool any = bound == QHostAddress(QHostAddress::AnyIPv4) ||
                     bound == QHostAddress(QHostAddress::AnyIPv6) || boundHost.isEmpty();
    QStringList addresses;
    int ipv4Count = 0;
    if (port == 0 || bound.isLoopback() || boundHost == QLatin1String("localhost"))
        return addresses;
    const auto format = [port](const QHostAddress &ip) {
        return ip.protocol() == QAbstractSocket::IPv6Protocol
                   ? QStringLiteral("[%1]:%2").arg(ip.toString()).arg(port)
                   : QStringLiteral("%1:%2").arg(ip.toString()).arg(port);
    };
    for (const QNetworkInterface &nic : QNetworkInterface::allInterfaces()) {
        const auto flags = nic.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) ||
            !flags.testFlag(QNetworkInterface::IsRunning) ||
            flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &entry : nic.addressEntries()) {
            QHostAddress ip = entry.ip();
            // A link-local address needs its interface named by whoever dials it: useless to
            // give out.
            if (ip.isLoopback() || ip.isLinkLocal() || ip.isNull())
                continue;
            // ternd prints its default bind (dual-stack "any") as 0.0.0.0: both families.
            if (!any && ip != bound)
                continue;
            ip.setScopeId(QString());
            const QString address = format(ip);
            if (addresses.contains(address))
                continue;
            // IPv4 first: the shorter address, and the one most people type.
            if (ip.protocol() == QAbstractSocket::IPv4Protocol)
                addresses.insert(ipv4Count++, address);
            else
                addresses << address;
        }
    }
    return addresses;
}

qint64 ServerHost::processId() const
{
    return m_process ? m_process->processId() : 0;
}

QString ServerHost::errorTail() const
{
    return QString::fromUtf8(m_stderr).trimmed();
}

void ServerHost::start()
{
    if (m_state != State::Stopped)
        return;
    m_url.clear();
    m_certificate = QSslCertificate();
    ++m_attempt;
    m_listening = false;
    m_listeningPort = 0;
    m_stdout.clear();
    m_stderr.clear();
    m_failureReported = false;

    const QString binary = m_binaryOverride.isEmpty() ? findBinary() : m_binaryOverride;
    if (binary.isEmpty() || !isExecutableFile(binary)) {
        setState(State::Starting);
        fail(tr("The Tern server program (ternd) was not found. Reinstall Tern or connect to "
                "a server by its address."));
        return;
    }
    if (m_dataDir.isEmpty()) {
        setState(State::Starting);
        fail(tr("No folder was chosen for the server's data."));
        return;
    }

    QStringList args{QStringLiteral("--data-dir"), m_dataDir, QStringLiteral("--port"),
                     QString::number(m_port)};
    if (m_announce)
        args << QStringLiteral("--announce");
    args << m_extraArgs;

    if (m_process) {
        // Possibly inside one of its signals (a failed() handler retrying): delete later.
        m_process->disconnect(this);
        m_process->deleteLater();
    }
    m_process = new QProcess(this);
    m_process->setProgram(binary);
    m_process->setArguments(args);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->setInputChannelMode(QProcess::ManagedInputChannel);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &ServerHost::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &ServerHost::onStderr);
    connect(m_process, &QProcess::errorOccurred, this, &ServerHost::onErrorOccurred);
    connect(m_process, &QProcess::finished, this, &ServerHost::onFinished);

    qCInfo(lcHost) << "starting" << binary << args;
    setState(State::Starting);
    m_startTimer.start();
    m_process->start();
}

void ServerHost::stop()
{
    switch (m_state) {
    case State::Stopped:
    case State::Stopping:
        return;
    case State::Starting:
    case State::Running:
        break;
    }
    m_startTimer.stop();
    if (!m_process || m_process->state() == QProcess::NotRunning) {
        setState(State::Stopped);
        emit stopped();
        return;
    }
    setState(State::Stopping);
    m_process->terminate();
    m_killTimer.start();
}

void ServerHost::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void ServerHost::onStdout()
{
    m_stdout += m_process->readAllStandardOutput();
    if (m_stdout.size() > kStdoutKeepBytes)
        m_stdout = m_stdout.right(kStdoutKeepBytes);
    if (m_state != State::Starting || m_listening)
        return;
    qsizetype newline = -1;
    while ((newline = m_stdout.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_stdout.left(newline)).trimmed();
        m_stdout.remove(0, newline + 1);
        bool tls = false;
        QString host;
        const quint16 port = parseListeningPort(line, &tls, &host);
        if (port == 0)
            continue;
        m_startTimer.stop();
        m_listeningPort = port;
        m_boundHost = host;
        m_url = QUrl(QStringLiteral("%1://127.0.0.1:%2/ws")
                         .arg(tls ? QStringLiteral("wss") : QStringLiteral("ws"))
                         .arg(port));
        m_listening = true;
        becomeRunning(tls, m_attempt);
        return;
    }
}

QString ServerHost::certificateFile() const
{
    const qsizetype flag = m_extraArgs.lastIndexOf(QStringLiteral("--tls-cert"));
    if (flag >= 0 && flag + 1 < m_extraArgs.size())
        return m_extraArgs.at(flag + 1);
    return QDir(m_dataDir).filePath(QStringLiteral("tls/cert.pem"));
}

void ServerHost::becomeRunning(bool tls, quint64 attempt)
{
    if (!tls) {
        setState(State::Running);
        emit started(m_url);
        return;
    }
    // ternd wrote the file before it printed the line. Read on a worker (disk I/O), parse here:
    // OpenSSL on a pool thread leaves per-thread state behind (LeakSanitizer). started()
    // follows with certificate() set, unless the process is gone or restarted meanwhile.
    const QString path = certificateFile();
    const QFuture<QByteArray> read = QtConcurrent::run([path] {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.read(1 << 20) : QByteArray();
    });
    continueOn(read, this, [this, attempt, path](const QByteArray &pem) {
        if (attempt != m_attempt || m_state != State::Starting)
            return;
        const QSslCertificate certificate(pem, QSsl::Pem);
        if (certificate.isNull())
            qCWarning(lcHost) << "no readable certificate at" << path;
        m_certificate = certificate;
        setState(State::Running);
        emit started(m_url);
    });
}

void ServerHost::onStderr()
{
    m_stderr += m_process->readAllStandardError();
    if (m_stderr.size() > kStderrKeepBytes) {
        m_stderr = m_stderr.right(kStderrKeepBytes);
        // Start the tail at a line boundary so the reason reads cleanly.
        const qsizetype newline = m_stderr.indexOf('\n');
        if (newline >= 0)
            m_stderr.remove(0, newline + 1);
    }
}

void ServerHost::onErrorOccurred(QProcess::ProcessError error)
{
    // Crashes and exits arrive through finished(); only a failed exec has no finished().
    if (error != QProcess::FailedToStart)
        return;
    fail(tr("The Tern server could not be started: %1").arg(m_process->errorString()));
}

void ServerHost::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_exitCode = exitCode;
    m_exitStatus = status;
    m_killTimer.stop();
    m_startTimer.stop();
    if (m_process) {
        m_stderr += m_process->readAllStandardError();
        m_stdout += m_process->readAllStandardOutput();
    }
    qCInfo(lcHost) << "ternd exited with code" << exitCode << status;

    switch (m_state) {
    case State::Stopping:
        m_url.clear();
        m_certificate = QSslCertificate();
        setState(State::Stopped);
        emit stopped();
        return;
    case State::Starting:
        fail(withTail(tr("The Tern server stopped right away (exit code %1).").arg(exitCode)));
        return;
    case State::Running:
        fail(withTail(
            status == QProcess::CrashExit
                ? tr("The Tern server crashed.")
                : tr("The Tern server stopped unexpectedly (exit code %1).").arg(exitCode)));
        return;
    case State::Stopped:
        return;
    }
}

void ServerHost::onStartTimeout()
{
    if (m_state != State::Starting)
        return;
    const QString reason = withTail(
        tr("The Tern server did not start within %n second(s).", "", kStartTimeoutMs / 1000));
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // Report now; the kill's finished() then finds us Stopped and stays quiet.
        m_process->disconnect(this);
        m_process->kill();
        m_process->deleteLater();
        m_process = nullptr;
    }
    fail(reason);
}

void ServerHost::fail(const QString &reason)
{
    m_startTimer.stop();
    m_url.clear();
    m_certificate = QSslCertificate();
    setState(State::Stopped);
    if (m_failureReported)
        return;
    m_failureReported = true;
    qCWarning(lcHost).noquote() << "hosting failed:" << reason;
    emit failed(reason);
}

QString ServerHost::withTail(const QString &reason) const
{
    const QString tail = errorTail();
    if (tail.isEmpty())
        return reason;
    // ternd's last line is the one that explains it (e.g. "cannot listen on …: address in use").
    QStringList lines = tail.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    while (lines.size() > 3)
        lines.removeFirst();
    return reason + QLatin1Char('\n') + lines.join(QLatin1Char('\n'));
}

} // namespace tern::app::session
