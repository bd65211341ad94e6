#include "app/ui/CertificateChangedDialog.h"

#include "app/ui/FingerprintCheck.h"
#include "app/ui/FingerprintView.h"
#include "app/ui/FitHeight.h"
#include "app/ui/Theme.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace tern::app::ui {

namespace {

QLabel *plainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

} // namespace

CertificateChangedDialog::CertificateChangedDialog(const QUrl &server,
                                                   const QSslCertificate &pinned,
                                                   const QDateTime &pinnedSince,
                                                   const QSslCertificate &presented,
                                                   QWidget *parent)
    : QDialog(parent), m_server(server), m_presented(presented), m_pinnedSince(pinnedSince),
      m_icon(new QLabel(this)), m_title(plainLabel(this)), m_intro(plainLabel(this)),
      m_oldLabel(plainLabel(this)),
      m_old(new FingerprintView(QStringLiteral("oldFingerprint"), this)),
      m_newLabel(plainLabel(this)),
      m_new(new FingerprintView(QStringLiteral("newFingerprint"), this)),
      m_meaning(plainLabel(this)), m_advice(plainLabel(this)),
      m_startReplace(new QPushButton(this)), m_replaceArea(new QWidget(this)),
      m_check(new FingerprintCheck(QStringLiteral("newFingerprintCheck"), m_replaceArea)),
      m_replace(new QPushButton(m_replaceArea)), m_close(new QPushButton(this))
{
    setObjectName(QStringLiteral("certificateChangedDialog"));
    // Modal (open() makes it window-modal over the app's one window): the client stays refused
    // and sends nothing to this server whatever the user does meanwhile.
    setWindowModality(Qt::ApplicationModal);
    m_title->setObjectName(QStringLiteral("identityChangedTitle"));
    m_startReplace->setObjectName(QStringLiteral("replacePinButton"));
    m_replace->setObjectName(QStringLiteral("replaceButton"));
    m_close->setObjectName(QStringLiteral("closeButton"));
    const int side = fontMetrics().height() * 3;
    m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(side, side));
    m_icon->setAlignment(Qt::AlignTop);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    m_title->setFont(titleFont);
    QPalette warning = m_title->palette();
    warning.setColor(QPalette::WindowText, Theme::errorColor(warning));
    m_title->setPalette(warning);
    m_old->setCertificate(pinned);
    m_new->setCertificate(presented);
    m_check->setExpected(m_new->digest());
    m_replace->setEnabled(false);
    m_replace->setAutoDefault(false);
    m_startReplace->setAutoDefault(false);
    m_close->setDefault(true);

    auto *replaceLayout = new QVBoxLayout(m_replaceArea);
    replaceLayout->setContentsMargins(0, 0, 0, 0);
    replaceLayout->addWidget(m_check);
    replaceLayout->addWidget(m_replace, 0, Qt::AlignLeft);
    m_replaceArea->hide();

    auto *text = new QVBoxLayout;
    text->addWidget(m_title);
    text->addWidget(m_intro);
    auto *top = new QHBoxLayout;
    top->addWidget(m_icon);
    top->addLayout(text, 1);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_startReplace, QDialogButtonBox::ActionRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_oldLabel);
    layout->addWidget(m_old);
    layout->addWidget(m_newLabel);
    layout->addWidget(m_new);
    layout->addWidget(m_meaning);
    layout->addWidget(m_advice);
    layout->addWidget(m_replaceArea);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_startReplace, &QPushButton::clicked, this, &CertificateChangedDialog::showReplace);
    connect(m_check, &FingerprintCheck::stateChanged, this, [this](FingerprintCheck::State state) {
        m_replace->setEnabled(state == FingerprintCheck::State::Matches);
    });
    connect(m_replace, &QPushButton::clicked, this, [this] {
        if (m_check->state() == FingerprintCheck::State::Matches)
            accept();
    });
    setMinimumWidth(fontMetrics().averageCharWidth() * 60);
    retranslate();
    m_close->setFocus();
}

QString CertificateChangedDialog::oldFingerprint() const
{
    return m_old->grouped();
}

QString CertificateChangedDialog::newFingerprint() const
{
    return m_new->grouped();
}

void CertificateChangedDialog::showReplace()
{
    m_replaceArea->show();
    m_startReplace->hide();
    m_check->edit()->setFocus();
    adjustSize();
}

void CertificateChangedDialog::retranslate()
{
    setWindowTitle(tr("Server identity changed"));
    m_title->setText(tr("This server's identity has changed"));
    m_title->setAccessibleName(m_title->text());
    m_intro->setText(tr("The server at %1 presents a different certificate from the one you "
                        "trusted. Tern did not connect and sent nothing to it.")
                         .arg(m_server.authority()));
    const QString since =
        m_pinnedSince.isValid()
            ? QLocale().toString(m_pinnedSince.toLocalTime().date(), QLocale::LongFormat)
            : tr("an unknown date");
    m_oldLabel->setText(tr("Trusted fingerprint (pinned on %1):").arg(since));
    m_old->setAccessibleLabel(tr("Trusted fingerprint"));
    m_newLabel->setText(tr("Fingerprint it presents now:"));
    m_new->setAccessibleLabel(tr("New fingerprint"));
    m_meaning->setText(tr("This means one of two things:\n"
                          "• the server was reinstalled or its certificate was regenerated, or\n"
                          "• someone is intercepting the connection to read your messages."));
    m_advice->setText(tr("Ask your server's admin before you go on. Only if they confirm the "
                         "change and give you the new fingerprint (“ternd fingerprint”), "
                         "replace the pinned certificate."));
    m_startReplace->setText(tr("&Replace the pinned certificate…"));
    m_startReplace->setAccessibleName(tr("Replace the pinned certificate"));
    m_check->setLabel(tr("&New fingerprint, as your admin gave it to you:"));
    m_replace->setText(tr("Re&place"));
    m_replace->setAccessibleName(tr("Replace the pinned certificate with the new one"));
    m_close->setText(tr("Close"));
    m_close->setAccessibleName(tr("Close without connecting"));
}

bool CertificateChangedDialog::event(QEvent *event)
{
    const bool handled = QDialog::event(event);
    // A verdict, the hex form or a new language changes how tall the sentences are.
    if (event->type() == QEvent::LayoutRequest || event->type() == QEvent::Resize)
        fitHeightForWidth(this);
    return handled;
}

void CertificateChangedDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

} // namespace tern::app::ui
