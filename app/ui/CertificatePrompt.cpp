#include "app/ui/CertificatePrompt.h"

#include "app/client/CertificateProblem.h"
#include "app/client/TrustedServers.h"
#include "app/ui/CertificateChangedDialog.h"
#include "app/ui/TrustServerDialog.h"

#include <QPointer>

namespace tern::app::ui {

QDialog *CertificatePrompt::ask(const client::CertificateProblem &problem,
                                client::TrustedServers *trusted, QWidget *parent,
                                std::function<void(bool pinned)> done,
                                const Announcement &announced, bool replaceNow)
{
    QDialog *dialog = nullptr;
    if (problem.kind == client::CertificateProblem::Kind::Changed) {
        auto *changed = new CertificateChangedDialog(
            problem.server, problem.pinned, problem.pinnedSince, problem.presented, parent);
        if (replaceNow)
            changed->showReplace();
        dialog = changed;
    } else {
        auto *trust = new TrustServerDialog(problem.server, problem.presented, parent);
        if (!announced.name.isEmpty() || !announced.digest.isEmpty())
            trust->setAnnouncement(announced.name, announced.digest);
        dialog = trust;
    }
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<client::TrustedServers> pins(trusted);
    const QUrl server = problem.server;
    const QSslCertificate presented = problem.presented;
    QObject::connect(dialog, &QDialog::finished, dialog,
                     [pins, server, presented, done](int result) {
                         const bool pin = result == QDialog::Accepted && pins;
                         if (pin)
                             pins->setPin(server, presented);
                         if (done)
                             done(pin);
                     });
    dialog->open();
    return dialog;
}

} // namespace tern::app::ui
