<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="fr">
<context>
    <name></name>
    <message>
        <location filename="../../ui/formatting.py" line="71"/>
        <source>%1 (%2 ans)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="90"/>
        <source>Du %1 au %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="91"/>
        <source>Élection</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scanner_widget.py" line="356"/>
        <source>ScannerWidget</source>
        <comment>Aucune caméra détectée : branchez une webcam puis cliquez sur Réessayer.</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scanner_widget.py" line="360"/>
        <source>ScannerWidget</source>
        <comment>La caméra est utilisée par une autre application : fermez-la puis cliquez sur Réessayer.</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scanner_widget.py" line="365"/>
        <source>ScannerWidget</source>
        <comment>La caméra a été débranchée ou ne répond plus : rebranchez-la puis cliquez sur Réessayer.</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scanner_widget.py" line="370"/>
        <source>ScannerWidget</source>
        <comment>La caméra n&apos;envoie aucune image : débranchez-la, rebranchez-la puis cliquez sur Réessayer.</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scanner_widget.py" line="375"/>
        <source>ScannerWidget</source>
        <comment>Le fichier d&apos;images est introuvable : vérifiez le chemin donné à --camera.</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scanner_widget.py" line="379"/>
        <source>ScannerWidget</source>
        <comment>Le fichier d&apos;images est illisible : donnez à --camera une image, un dossier d&apos;images ou une vidéo.</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/model.py" line="39"/>
        <source>supervisor</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../ui/banner.py" line="54"/>
        <location filename="../../ui/banner.py" line="72"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckPanel</name>
    <message>
        <location filename="../../ui/check_panel.py" line="40"/>
        <location filename="../../ui/check_panel.py" line="42"/>
        <source>Contrôle de la pièce d&apos;identité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="48"/>
        <source>Type de pièce présentée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="50"/>
        <source>&amp;Pièce présentée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="52"/>
        <source>&amp;Nom et prénoms concordent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="53"/>
        <source>&amp;Date de naissance concorde</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="54"/>
        <source>La p&amp;hoto correspond</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="58"/>
        <source>Contrôle manquant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="86"/>
        <source>Valider (Ctrl+Entrée)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="87"/>
        <source>Valider la procuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="94"/>
        <source>Refuser… (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="95"/>
        <source>Refuser la procuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/check_panel.py" line="155"/>
        <source>Cochez %1 avant de valider, ou refusez (Ctrl+R).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodePage</name>
    <message>
        <location filename="../../ui/enrolment.py" line="114"/>
        <location filename="../../ui/enrolment.py" line="117"/>
        <source>Code d&apos;enrôlement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="115"/>
        <source>Le code est à usage unique ; il vous est remis par le support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="119"/>
        <source>Nom de ce poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="121"/>
        <source>C&amp;ode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="123"/>
        <source>&amp;Nom du poste</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CounterView</name>
    <message>
        <location filename="../../ui/counter_view.py" line="82"/>
        <source>Aide à la saisie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_view.py" line="83"/>
        <source>Rechercher (Entrée)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_view.py" line="84"/>
        <source>Rechercher la référence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_view.py" line="85"/>
        <source>Effacer (Échap)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_view.py" line="86"/>
        <source>Effacer l&apos;écran</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_view.py" line="89"/>
        <source>Lecture par caméra</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_view.py" line="104"/>
        <source>Caméra : emplacement réservé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_view.py" line="178"/>
        <source>Recherche…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_view.py" line="244"/>
        <source>Cette demande ne peut pas être validée (état : %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_view.py" line="291"/>
        <source>Signature et envoi…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="18"/>
        <source>%1 : %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="29"/>
        <source>Refus transmis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="31"/>
        <source>Transmise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="32"/>
        <source>La décision sur %1 est transmise. Personne suivante.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="37"/>
        <source>En attente d&apos;envoi (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="40"/>
        <source>Décision sur %1 enregistrée sur ce PC ; elle partira dès que le serveur répondra. Rien à refaire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="47"/>
        <source>%1 non transmise : %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="62"/>
        <source>Non transmise : %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="70"/>
        <source>Aucune décision depuis %1 s : l&apos;identité est masquée pour la protéger ; présentez de nouveau le code QR pour l&apos;afficher.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="76"/>
        <source>Aucune décision depuis %1 s : l&apos;identité est masquée pour la protéger ; appuyez sur Entrée pour l&apos;afficher de nouveau.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/counter_words.py" line="81"/>
        <source>Identité masquée : %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DayDialog</name>
    <message>
        <location filename="../../ui/day_view.py" line="69"/>
        <source>Ma journée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="70"/>
        <source>Mes décisions du jour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="71"/>
        <source>Décisions du jour, par heure et référence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="76"/>
        <source>%1 décision(s) aujourd&apos;hui</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="79"/>
        <source>Fermer (Échap)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="80"/>
        <source>Fermer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DayModel</name>
    <message>
        <location filename="../../ui/day_view.py" line="36"/>
        <source>Heure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="36"/>
        <source>Référence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="36"/>
        <source>Décision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="36"/>
        <source>Envoi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="55"/>
        <source>Validée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="55"/>
        <source>Refusée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="58"/>
        <source>Transmise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="59"/>
        <source>En attente d&apos;envoi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/day_view.py" line="60"/>
        <source>Échec</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrolPage</name>
    <message>
        <location filename="../../ui/enrolment.py" line="141"/>
        <source>Enrôlement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="149"/>
        <source>Enrôlement en cours…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="162"/>
        <source>Poste enrôlé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="163"/>
        <source>La clé de ce poste est dans le coffre-fort du système. Terminez.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="169"/>
        <source>Enrôlement refusé</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrolmentWizard</name>
    <message>
        <location filename="../../ui/enrolment.py" line="186"/>
        <source>Guichet Maprocuration — enrôlement du poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="192"/>
        <source>Suivant (Entrée)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="193"/>
        <source>Précédent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="194"/>
        <source>Terminer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="195"/>
        <source>Annuler</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdentityPanel</name>
    <message>
        <location filename="../../ui/identity_panel.py" line="39"/>
        <location filename="../../ui/identity_panel.py" line="40"/>
        <source>Identité du mandant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="46"/>
        <source>Recherchez une référence pour afficher l&apos;identité.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="65"/>
        <source>Nom de naissance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="66"/>
        <source>Nom d&apos;usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="67"/>
        <source>Prénoms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="68"/>
        <source>Né(e) le</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="69"/>
        <source>Lieu de naissance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="70"/>
        <source>Commune d&apos;inscription</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="71"/>
        <source>Procuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="72"/>
        <source>État de la demande</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="101"/>
        <source>Référence %1, lue dans le code QR signé (signature vérifiée hors ligne). Le serveur contrôlera l&apos;état de la demande à l&apos;envoi.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="106"/>
        <source>Référence %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="111"/>
        <source>inconnu (hors ligne)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/identity_panel.py" line="121"/>
        <source>Code INSEE %1 (nom inconnu hors ligne)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IntegrityBanner</name>
    <message>
        <location filename="../../ui/supervisor/integrity_banner.py" line="43"/>
        <source>Journal non encore vérifié</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../ui/lock_screen.py" line="38"/>
        <location filename="../../ui/lock_screen.py" line="41"/>
        <source>Poste verrouillé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/lock_screen.py" line="47"/>
        <source>Mot de passe pour déverrouiller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/lock_screen.py" line="48"/>
        <source>Mot de passe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/lock_screen.py" line="50"/>
        <source>Déverrouiller (Entrée)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/lock_screen.py" line="51"/>
        <source>Déverrouiller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/lock_screen.py" line="52"/>
        <source>Changer d&apos;agent (se déconnecter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/lock_screen.py" line="53"/>
        <source>Changer d&apos;agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/lock_screen.py" line="68"/>
        <source>Les données personnelles sont masquées. Saisissez votre mot de passe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/lock_screen.py" line="91"/>
        <source>Session de %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginView</name>
    <message>
        <location filename="../../ui/login_view.py" line="41"/>
        <source>Matricule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login_view.py" line="44"/>
        <source>Mot de passe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login_view.py" line="45"/>
        <source>Se connecter (Entrée)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login_view.py" line="46"/>
        <source>Se connecter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login_view.py" line="60"/>
        <source>Guichet des procurations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login_view.py" line="63"/>
        <source>Connectez-vous avec votre matricule d&apos;officier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login_view.py" line="66"/>
        <source>&amp;Matricule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login_view.py" line="68"/>
        <source>Mot de &amp;passe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login_view.py" line="122"/>
        <source>Connexion…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login_view.py" line="143"/>
        <source>Connexion refusée</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="47"/>
        <source>Fermer le guichet ?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="49"/>
        <source>%1 décision(s) attendent encore d&apos;être envoyées au serveur. Elles restent enregistrées sur ce PC et partiront au prochain démarrage du guichet, au plus tard à la prochaine connexion.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="57"/>
        <source>Fermer quand même</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="61"/>
        <source>Ne pas fermer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="133"/>
        <source>Guichet Maprocuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="135"/>
        <source>%1 — DÉMONSTRATION</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="193"/>
        <source>Connexion refusée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="194"/>
        <source>Ce compte ne permet pas de valider des procurations au guichet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="275"/>
        <source>Le serveur a refusé définitivement cette décision. Voir « Envois refusés » pour le motif.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="280"/>
        <source>Le serveur a refusé définitivement ces décisions. Voir « Envois refusés » pour les motifs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="283"/>
        <source>Envoi refusé : %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReferenceField</name>
    <message>
        <location filename="../../ui/reference_field.py" line="35"/>
        <source>Référence ou code QR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/reference_field.py" line="36"/>
        <source>Référence de la demande</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/reference_field.py" line="38"/>
        <source>Six caractères, ou le code QR lu par la douchette. Entrée pour rechercher.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/reference_field.py" line="54"/>
        <source>Code QR lu : Entrée pour le vérifier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/reference_field.py" line="59"/>
        <source>« %1 » ne figure dans aucune référence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/reference_field.py" line="63"/>
        <source>Trop long : une référence a 6 caractères.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/reference_field.py" line="65"/>
        <source>%1 caractère(s) sur 6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/reference_field.py" line="66"/>
        <source>Référence complète : Entrée pour rechercher.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RefusalDialog</name>
    <message>
        <location filename="../../ui/refusal_dialog.py" line="52"/>
        <source>Refuser la procuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refusal_dialog.py" line="53"/>
        <source>Motif du refus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refusal_dialog.py" line="56"/>
        <source>Pourquoi refusez-vous cette procuration ? (touches 1 à 4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refusal_dialog.py" line="72"/>
        <source>Précision obligatoire pour « Autre motif » : gardée sur ce PC, non transmise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refusal_dialog.py" line="88"/>
        <source>Précisez le motif (quelques mots, sans nom)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refusal_dialog.py" line="89"/>
        <source>Précision du motif « Autre motif »</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refusal_dialog.py" line="96"/>
        <source>Refuser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refusal_dialog.py" line="98"/>
        <source>Confirmer le refus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refusal_dialog.py" line="101"/>
        <source>Annuler (Échap)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refusal_dialog.py" line="103"/>
        <source>Annuler le refus</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RefusedDialog</name>
    <message>
        <location filename="../../ui/refused_view.py" line="118"/>
        <source>Envois refusés</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refused_view.py" line="119"/>
        <source>Envois refusés par le serveur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refused_view.py" line="122"/>
        <source>Le serveur a refusé définitivement ces décisions : elles ne seront pas renvoyées. Voyez pour chacune ce qu&apos;il faut faire, puis « Marquer comme vus » : elles quittent cette liste mais restent dans « Ma journée ».</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refused_view.py" line="129"/>
        <source>Liste des envois refusés</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refused_view.py" line="143"/>
        <source>Marquer comme vus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refused_view.py" line="146"/>
        <source>Marquer les envois refusés comme vus et les retirer de la liste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refused_view.py" line="149"/>
        <source>Fermer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refused_view.py" line="150"/>
        <source>Fermer la liste des envois refusés</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RefusedModel</name>
    <message>
        <location filename="../../ui/refused_view.py" line="92"/>
        <source>Heure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refused_view.py" line="92"/>
        <source>Référence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/refused_view.py" line="92"/>
        <source>Motif du refus</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <location filename="../../ui/supervisor/rules_dialog.py" line="37"/>
        <source>Seuils des règles d&apos;anomalie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/rules_dialog.py" line="47"/>
        <source>Consultations sans aucune validation, par agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/rules_dialog.py" line="48"/>
        <source>Ouverture du poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/rules_dialog.py" line="49"/>
        <source>Fermeture du poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/rules_dialog.py" line="50"/>
        <source>Consultations d&apos;une même référence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/rules_dialog.py" line="51"/>
        <source>Agents différents sur une même référence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/rules_dialog.py" line="52"/>
        <source>Refus formant une série</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/rules_dialog.py" line="53"/>
        <source>… dans une fenêtre de</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScannerWidget</name>
    <message>
        <location filename="../../ui/scanner_widget.py" line="181"/>
        <source>Caméra</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/scanner_widget.py" line="182"/>
        <source>Réessayer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/scanner_widget.py" line="187"/>
        <source>Caméra (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/scanner_widget.py" line="195"/>
        <source>Démarrer ou arrêter la caméra</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/scanner_widget.py" line="208"/>
        <location filename="../../ui/scanner_widget.py" line="262"/>
        <source>Caméra arrêtée : appuyez sur F2 pour scanner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/scanner_widget.py" line="232"/>
        <source>Caméra par défaut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/scanner_widget.py" line="251"/>
        <source>Présentez le QR code dans le cadre.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/scanner_widget.py" line="252"/>
        <source>Ouverture de la caméra…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/scanner_widget.py" line="321"/>
        <source>Lecture terminée : appuyez sur F2 pour recommencer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <location filename="../../ui/enrolment.py" line="66"/>
        <source>Serveur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="67"/>
        <source>L&apos;adresse du serveur vous est donnée par le support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="69"/>
        <source>Adresse du serveur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="71"/>
        <source>Fichier de l&apos;autorité de certification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="72"/>
        <source>Parcourir…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="73"/>
        <source>Choisir le fichier de l&apos;autorité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="81"/>
        <source>&amp;Adresse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="82"/>
        <source>&amp;Certificat (https)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="105"/>
        <source>Autorité de certification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/enrolment.py" line="105"/>
        <source>Certificats (*.pem *.crt)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <location filename="../../ui/shell.py" line="110"/>
        <source>Guichet Maprocuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="155"/>
        <source>Supervision</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusArea</name>
    <message>
        <location filename="../../ui/status_area.py" line="25"/>
        <source>Zone d&apos;état</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="26"/>
        <source>Agent connecté</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="27"/>
        <source>Unité et habilitation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="29"/>
        <source>État de la connexion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="32"/>
        <source>Décisions en attente d&apos;envoi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="33"/>
        <source>Prochain essai d&apos;envoi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="36"/>
        <source>Afficher les envois refusés</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="38"/>
        <source>Ma journée (Ctrl+J)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="39"/>
        <source>Afficher mes décisions du jour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="40"/>
        <source>Verrouiller (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="41"/>
        <source>Verrouiller le poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="42"/>
        <source>Se déconnecter (Ctrl+Maj+Q)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="43"/>
        <source>Se déconnecter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="87"/>
        <source>Unité %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="90"/>
        <source>habilité(e) jusqu&apos;au %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="99"/>
        <source>Connexion…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="101"/>
        <source>En ligne</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="103"/>
        <source>Hors ligne</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="109"/>
        <source>En attente d&apos;envoi : %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="115"/>
        <source>Serveur saturé : nouvel essai dans %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/status_area.py" line="119"/>
        <source>Envois refusés : %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorView</name>
    <message>
        <location filename="../../ui/supervisor/view.py" line="80"/>
        <source>Journal du poste {station}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="92"/>
        <source>Télécharger et vérifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="94"/>
        <source>Seuils des règles…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="98"/>
        <source>Jour :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="123"/>
        <source>Totaux du jour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="125"/>
        <source>Anomalies (règle qui les a relevées)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="138"/>
        <source>Rechercher une référence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="140"/>
        <source>Anomalies seulement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="187"/>
        <source>Exporter en CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="188"/>
        <source>Rapport PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="189"/>
        <source>Imprimer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="208"/>
        <source>Téléchargement du journal…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="247"/>
        <source>Aucune anomalie.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="259"/>
        <source>Vérification de l&apos;intégrité du journal en cours…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="277"/>
        <source>Tous les agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="278"/>
        <source>Toutes les actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="279"/>
        <source>Tous les résultats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="294"/>
        <source>Le journal n&apos;a pas pu être téléchargé. Vérifiez la connexion puis réessayez.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="317"/>
        <source>Seuils non enregistrés</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="318"/>
        <source>Les seuils n&apos;ont pas pu être enregistrés. Vérifiez l&apos;espace disque.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="348"/>
        <source>{shown} entrées affichées sur {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="377"/>
        <source>Le fichier n&apos;a pas pu être écrit. Choisissez un autre dossier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="383"/>
        <source>Exporter en CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="383"/>
        <source>Fichier CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="389"/>
        <source>Rapport PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/view.py" line="389"/>
        <source>Document PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../ui/supervisor_window.py" line="42"/>
        <source>Guichet Maprocuration — supervision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor_window.py" line="44"/>
        <source>%1 — DÉMONSTRATION</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor_window.py" line="48"/>
        <source>Se déconnecter (Ctrl+Maj+Q)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/supervisor_window.py" line="49"/>
        <source>Se déconnecter</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <location filename="../../ui/formatting.py" line="15"/>
        <source>À valider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="16"/>
        <source>Expirée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="17"/>
        <source>Refusée au guichet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="18"/>
        <source>Validée, transmise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="19"/>
        <source>Établie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="20"/>
        <source>Invalide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="21"/>
        <source>Acceptée par la mairie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="22"/>
        <source>Refusée par la mairie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="23"/>
        <source>Résiliée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="27"/>
        <source>Carte nationale d&apos;identité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="28"/>
        <source>Passeport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="29"/>
        <source>Permis de conduire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="30"/>
        <source>Autre pièce d&apos;identité avec photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="36"/>
        <source>L&apos;identité ne concorde pas avec la pièce</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="39"/>
        <source>La pièce présentée n&apos;est pas recevable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="42"/>
        <source>La personne présente n&apos;est pas le mandant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="45"/>
        <source>Autre motif</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="49"/>
        <source>1er tour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="50"/>
        <source>2d tour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="51"/>
        <source>les deux tours</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <location filename="../../ui/messages.py" line="29"/>
        <source>Une erreur inattendue s&apos;est produite. Recommencez ; si elle se répète, prévenez le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="37"/>
        <source>Aucune demande ne porte cette référence. Vérifiez-la avec le mandant (courriel de confirmation) ou scannez son code QR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="42"/>
        <source>Cette demande a expiré (deux mois sans validation). Le mandant doit refaire une demande en ligne.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="47"/>
        <source>Cette procuration a déjà été validée à un autre guichet : il n&apos;y a rien à refaire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="51"/>
        <source>Cette procuration a déjà été validée par {officer} ({station}) le {day} à {time} : il n&apos;y a rien à refaire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="56"/>
        <source>Votre habilitation ne couvre pas ce moment : vous ne pouvez pas valider. Adressez-vous à un officier habilité ou à votre chef de poste.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="61"/>
        <source>Le serveur refuse la signature de ce poste. Ne recommencez pas : prévenez le support informatique, le poste doit être réenrôlé.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="66"/>
        <source>Le serveur a rejeté cet envoi comme une répétition. Recherchez à nouveau la référence pour voir son état avant de refaire quoi que ce soit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="71"/>
        <source>L&apos;horloge de ce PC est décalée. Faites corriger la date et l&apos;heure, puis recommencez.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="75"/>
        <source>Le serveur a déjà reçu une autre validation sous le même identifiant. Recherchez à nouveau la référence pour voir son état.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="80"/>
        <source>Trop de recherches en peu de temps. Patientez un instant puis recommencez.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="83"/>
        <source>Trop de recherches en peu de temps. Patientez {seconds} secondes puis recommencez.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="87"/>
        <source>L&apos;envoi est trop volumineux pour le serveur. Prévenez le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="90"/>
        <source>Le serveur ne reconnaît plus votre session. Reconnectez-vous.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="93"/>
        <source>Votre compte n&apos;a pas le droit de faire cette action. Adressez-vous à votre chef de poste.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="97"/>
        <source>L&apos;identité affichée ne correspond plus à la demande : recherchez de nouveau la référence et refaites la vérification.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="102"/>
        <source>Cette validation a été faite il y a plus de 72 heures et ne peut plus être transmise : faites revenir le mandant pour une nouvelle vérification.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="107"/>
        <source>Cette validation a été signée avec la clé d&apos;un autre agent : reconnectez-vous avec votre propre matricule et recommencez.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="112"/>
        <source>Cette validation est déjà en cours de traitement par le serveur : patientez, elle sera confirmée automatiquement.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="117"/>
        <source>Le serveur n&apos;a pas encore traité cette validation : elle reste en attente et repartira automatiquement.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="122"/>
        <source>La demande n&apos;est plus dans un état qui permet cette action : recherchez de nouveau la référence pour voir son état actuel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="127"/>
        <source>Le serveur a refusé l&apos;action car la demande a changé entre-temps : recherchez de nouveau la référence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="132"/>
        <source>Ce poste est configuré pour une autre unité que la vôtre : faites corriger la configuration par le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="137"/>
        <source>Le serveur a refusé des données mal formées. Recommencez ; si cela se répète, prévenez le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="143"/>
        <source>Le serveur ne répond pas. Vérifiez le réseau ; les validations déjà faites attendent et partiront d&apos;elles-mêmes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="148"/>
        <source>Le certificat du serveur n&apos;est pas celui attendu. N&apos;allez pas plus loin et prévenez le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="153"/>
        <source>Votre session a expiré. Reconnectez-vous avec votre mot de passe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="156"/>
        <source>Ce PC n&apos;a pas de coffre-fort de secrets utilisable : la clé du poste ne peut pas y être protégée, l&apos;enrôlement est donc refusé. Faites activer le trousseau du système par le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="162"/>
        <source>Ce PC n&apos;est pas enrôlé. Demandez un code d&apos;enrôlement au support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="166"/>
        <source>Hors ligne : une référence tapée ne peut pas être recherchée. Scannez le code QR du mandant ou attendez le retour du réseau.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="171"/>
        <source>La liste de confiance a plus de 48 heures : ce code QR ne peut pas être vérifié hors ligne. Reconnectez le PC au réseau.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="176"/>
        <source>Impossible d&apos;enregistrer sur ce PC (disque plein ou droits). Ne validez plus et prévenez le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="181"/>
        <source>Ce PC a été révoqué et ne peut plus servir au guichet. Prévenez le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="186"/>
        <source>Tapez ou scannez la référence du mandant (6 caractères).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="189"/>
        <source>Une référence a 6 caractères : vérifiez la saisie avec le mandant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="192"/>
        <source>Une référence n&apos;a que 6 caractères : vérifiez la saisie avec le mandant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="195"/>
        <source>« {characters} » ne figure dans aucune référence : vérifiez la saisie avec le mandant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="199"/>
        <source>Ce code QR n&apos;est pas authentique. Ne validez pas ; demandez sa référence au mandant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="203"/>
        <source>Ce code QR a expiré. Tapez la référence du mandant à la place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="206"/>
        <source>Ce code QR vient d&apos;un émetteur inconnu de ce poste. Tapez la référence, ou reconnectez le PC pour mettre à jour la liste de confiance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="211"/>
        <source>Ce code n&apos;est pas une demande de procuration. Demandez sa référence au mandant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="216"/>
        <source>Matricule ou mot de passe incorrect. Vérifiez la saisie et recommencez.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="219"/>
        <source>Votre habilitation a expiré : vous ne pouvez pas vous connecter au guichet. Adressez-vous à votre chef de poste.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="224"/>
        <source>Le serveur ne répond pas : connexion impossible. Vérifiez le réseau ou prévenez le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="229"/>
        <source>Mot de passe incorrect. Recommencez.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="230"/>
        <source>Le serveur met trop de temps à répondre. Recommencez dans un instant ; les validations déjà faites attendent et partiront d&apos;elles-mêmes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="235"/>
        <source>Ce PC n&apos;a pas encore de liste de confiance : les codes QR ne peuvent pas être vérifiés hors ligne. Connectez-vous une fois en ligne.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="240"/>
        <source>L&apos;identité affichée ne correspond pas à celle garantie par le serveur : ne validez pas. Recherchez à nouveau la référence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="245"/>
        <source>Cette décision ne peut pas être signée (contrôles incomplets ou unité inconnue). Recherchez à nouveau la référence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="250"/>
        <source>La configuration de ce poste est invalide. Prévenez le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="254"/>
        <source>Une adresse en http:// n&apos;est permise que sur ce PC : utilisez l&apos;adresse https du serveur.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="258"/>
        <source>Le fichier de l&apos;autorité de certification du serveur manque, est introuvable ou illisible : choisissez le fichier fourni par le support informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="414"/>
        <source>Référence inconnue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="415"/>
        <source>Demande expirée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="416"/>
        <source>Déjà validée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="417"/>
        <source>Validation impossible : non habilité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="418"/>
        <source>Hors ligne</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="419"/>
        <source>Serveur injoignable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="420"/>
        <location filename="../../ui/messages.py" line="421"/>
        <source>Session expirée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="422"/>
        <source>Patientez</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="423"/>
        <source>Vérification hors ligne impossible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="424"/>
        <source>Enregistrement impossible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="427"/>
        <source>Saisie à vérifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="428"/>
        <source>Code QR refusé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="430"/>
        <source>Échec</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
