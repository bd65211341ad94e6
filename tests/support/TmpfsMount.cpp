#include "TmpfsMount.h"

#include <QByteArray>
#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

namespace tern::test {

TmpfsMount::~TmpfsMount()
{
    if (m_path.isEmpty())
        return;
    const QByteArray path = QFile::encodeName(m_path);
    if (m_mounted && ::umount2(path.constData(), 0) != 0)
        ::umount2(path.constData(), MNT_DETACH);
    ::rmdir(path.constData());
}

QString TmpfsMount::mount(int sizeMiB)
{
    QByteArray dir = QFile::encodeName(QDir::tempPath() + "/tern-tst-diskfull-XXXXXX");
    if (!::mkdtemp(dir.data()))
        return QStringLiteral("mkdtemp: ") + QString::fromLocal8Bit(std::strerror(errno));
    m_path = QFile::decodeName(dir);
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return QStringLiteral("unshare: ") + QString::fromLocal8Bit(std::strerror(errno));
    const QByteArray options = "size=" + QByteArray::number(sizeMiB) + "m";
    if (::mount("tmpfs", dir.constData(), "tmpfs", MS_NOSUID | MS_NODEV, options.constData()) != 0)
        return QStringLiteral("mount: ") + QString::fromLocal8Bit(std::strerror(errno));
    m_mounted = true;
    return {};
}

qint64 writeBallast(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    const QByteArray block(64 * 1024, 'b');
    qint64 written = 0;
    for (qint64 chunk = block.size(); chunk > 0 && written < (qint64(1) << 30);) {
        const ssize_t n = ::write(fd, block.constData(), std::size_t(chunk));
        if (n > 0)
            written += n;
        else
            chunk /= 2;
    }
    ::close(fd);
    return written;
}

} // namespace tern::test
