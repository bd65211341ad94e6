#include "app/ui/TrustServerDialog.h"

#include "app/ui/FingerprintCheck.h"
#include "app/ui/FingerprintView.h"
#include "app/ui/FitHeight.h"
#include "app/ui/Theme.h"
#include "shared/model/CertificateFingerprint.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace tern::app::ui {

namespace {

QLabel *plainLabel(QWidget *parent, bool wrap = true)
{
    auto *label = new QLabel(parent);
    // Names and addresses come from the network: never interpreted as rich text.
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(wrap);
    return label;
}

} // namespace

TrustServerDialog::TrustServerDialog(const QUrl &server, const QSslCertificate &certificate,
                                     QWidget *parent)
    : QDialog(parent), m_server(server), m_certificate(certificate), m_title(plainLabel(this)),
      m_intro(plainLabel(this)), m_nameLabel(plainLabel(this, false)), m_name(plainLabel(this)),
      m_addressLabel(plainLabel(this, false)), m_address(plainLabel(this)),
      m_fingerprintLabel(plainLabel(this)),
      m_fingerprint(new FingerprintView(QStringLiteral("fingerprint"), this)),
      m_howTo(plainLabel(this)), m_announcement(plainLabel(this)),
      m_check(new FingerprintCheck(QStringLiteral("expectedFingerprint"), this)),
      m_trust(new QPushButton(this)), m_cancel(new QPushButton(this))
{
    setObjectName(QStringLiteral("trustServerDialog"));
    m_name->setObjectName(QStringLiteral("serverNameLabel"));
    m_address->setObjectName(QStringLiteral("serverAddressLabel"));
    m_announcement->setObjectName(QStringLiteral("announcementLabel"));
    m_trust->setObjectName(QStringLiteral("trustButton"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    for (QLabel *label : {m_name, m_address})
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    m_title->setFont(titleFont);
    m_announcement->hide();
    m_fingerprint->setCertificate(certificate);
    m_check->setExpected(m_fingerprint->digest());

    // Cancel is the default: Enter (and Esc) leave the server untrusted, as in Mumble.
    m_cancel->setDefault(true);
    m_cancel->setAutoDefault(true);
    m_trust->setAutoDefault(false);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_trust, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_cancel, QDialogButtonBox::RejectRole);

    auto *who = new QFormLayout;
    who->addRow(m_nameLabel, m_name);
    who->addRow(m_addressLabel, m_address);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_intro);
    layout->addLayout(who);
    layout->addWidget(m_fingerprintLabel);
    layout->addWidget(m_fingerprint);
    layout->addWidget(m_howTo);
    layout->addWidget(m_announcement);
    layout->addWidget(m_check);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_check, &FingerprintCheck::stateChanged, this, &TrustServerDialog::updateTrust);
    setMinimumWidth(fontMetrics().averageCharWidth() * 60);
    retranslate();
    m_cancel->setFocus();
}

void TrustServerDialog::setAnnouncement(const QString &name, const QByteArray &announcedDigest)
{
    m_announcedName = name;
    m_announcedDigest = announcedDigest;
    retranslate();
}

QString TrustServerDialog::fingerprint() const
{
    return m_fingerprint->grouped();
}

QString TrustServerDialog::serverName() const
{
    // ternd names its certificate "ternd <name>"; a CA's certificate names the host.
    const QString cn = m_certificate.subjectInfo(QSslCertificate::CommonName).join(u", ");
    if (!cn.isEmpty())
        return cn;
    return m_announcedName;
}

QString TrustServerDialog::announcementText() const
{
    return m_announcement->isHidden() ? QString() : m_announcement->text();
}

void TrustServerDialog::updateTrust()
{
    // A pasted fingerprint that differs is the one case we know this is the wrong server.
    m_trust->setEnabled(m_check->state() != FingerprintCheck::State::DoesNotMatch);
}

void TrustServerDialog::retranslate()
{
    setWindowTitle(tr("Trust this server?"));
    m_title->setText(tr("Is this your server?"));
    m_intro->setText(tr("This server's certificate is not signed by an authority this computer "
                        "trusts. That is normal for a Tern server on your own network, but "
                        "check once that it really is yours: Tern remembers it from then on "
                        "and refuses any other."));
    m_nameLabel->setText(tr("Name:"));
    QString name = serverName();
    if (!m_announcedName.isEmpty() && m_announcedName != name)
        //: %1: the name in the server's certificate, %2: the name it announced on the network.
        name = tr("%1 (announced as “%2”)").arg(name, m_announcedName);
    m_name->setText(name.isEmpty() ? tr("(no name)") : name);
    m_name->setAccessibleName(tr("Server name: %1").arg(m_name->text()));
    m_addressLabel->setText(tr("Address:"));
    m_address->setText(m_server.authority());
    m_address->setAccessibleName(tr("Server address: %1").arg(m_server.authority()));
    m_fingerprintLabel->setText(tr("Its certificate's fingerprint (SHA-256):"));
    m_fingerprint->setAccessibleLabel(tr("Fingerprint"));
    m_howTo->setText(tr("To check it, ask your server's admin to run “ternd fingerprint” on the "
                        "server and compare all of it, not only the first group."));
    const bool announced = !m_announcedDigest.isEmpty();
    if (announced && m_announcedDigest == m_fingerprint->digest())
        m_announcement->setText(tr("It matches the fingerprint the server announced on this "
                                   "network. Anyone on the network can announce anything, so "
                                   "this alone proves nothing."));
    else if (announced)
        m_announcement->setText(tr("It does NOT match the fingerprint announced on this network "
                                   "under this name. Something else may be answering at this "
                                   "address: ask your admin before you trust it."));
    m_announcement->setVisible(announced);
    if (announced && m_announcedDigest != m_fingerprint->digest()) {
        QPalette palette = m_announcement->palette();
        palette.setColor(QPalette::WindowText, Theme::errorColor(palette));
        m_announcement->setPalette(palette);
    }
    m_announcement->setAccessibleName(m_announcement->text());
    m_check->setLabel(tr("&Paste the fingerprint your admin gave you (optional):"));
    m_trust->setText(tr("&Trust and connect"));
    m_trust->setAccessibleName(tr("Trust this server and connect"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setAccessibleName(tr("Cancel: do not trust this server"));
    updateTrust();
}

bool TrustServerDialog::event(QEvent *event)
{
    const bool handled = QDialog::event(event);
    // A verdict, the hex form or a new language changes how tall the sentences are.
    if (event->type() == QEvent::LayoutRequest || event->type() == QEvent::Resize)
        fitHeightForWidth(this);
    return handled;
}

void TrustServerDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

} // namespace tern::app::ui
