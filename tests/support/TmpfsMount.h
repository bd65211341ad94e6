#pragma once

//! A small tmpfs for disk-full tests (needs root), and a file that fills it to the last byte.
//
// The mount lives in a private mount namespace of the test process (ternd children inherit
// it), so it cannot outlive the test; it is also unmounted and removed on destruction.

#include <QString>

namespace tern::test {

class TmpfsMount
{
public:
    TmpfsMount() = default;
    TmpfsMount(const TmpfsMount &) = delete;
    TmpfsMount &operator=(const TmpfsMount &) = delete;
    ~TmpfsMount();
    //! Empty on success, else why not (a test QSKIPs then).
    QString mount(int sizeMiB);
    QString path() const { return m_path; }

private:
    QString m_path;
    bool m_mounted = false;
};

//! Fills the file system holding `path` with one file, to the last byte; bytes written.
qint64 writeBallast(const QString &path);

} // namespace tern::test
