"""Name material for deterministic demo identities: accents, compound and hyphenated names,
apostrophes and a few very long names, as a counter officer meets them."""

from __future__ import annotations

BIRTH_NAMES = [
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY",
    "MOREAU", "SIMON", "LAURENT", "LEFÈVRE", "MICHEL", "GARCÍA", "DAVID", "BERTRAND", "ROUX",
    "VINCENT", "FOURNIER", "MOREL", "GIRARD", "ANDRÉ", "MERCIER", "DUPONT", "LAMBERT",
    "BONNET", "FRANÇOIS", "MARTÍNEZ", "LEGRAND", "GARNIER", "FAURE", "ROUSSEAU", "BLANC",
    "GUÉRIN", "MULLER", "HENRY", "ROUSSEL", "NICOLAS", "PERRIN", "MORIN", "MATHIEU",
    "CLÉMENT", "GAUTHIER", "DUMONT", "LOPEZ", "FONTAINE", "CHEVALIER", "ROBIN", "MASSON",
    "D'ALMEIDA", "N'GUYEN", "L'HÔTE", "D'ARTAGNAN", "O'CONNOR", "LE GOFF", "LE BRIS",
    "DE LA FONTAINE", "SAINT-JUST", "BEN SAÏD", "NGUYEN-VAN-THANH", "HADJ-ALI", "ÇELIK",
    "MARTIN-DUPONT", "DUBOIS-LECLERC", "BOUVIER-D'YVOIRE", "ÉTIENNE", "ŒUVRARD", "KOWALSKI",
    "DA SILVA PEREIRA", "EL KHATTABI", "DIALLO", "TRAORÉ", "N'DIAYE", "HAMIDOU",
    "DE LA ROCHEFOUCAULD-DOUDEAUVILLE", "MONTMORENCY-LAVAL DE BOIS-DAUPHIN",
    "VAN DER STRAETEN-PONTHOZ DE LIMBOURG-STIRUM",
]
FIRST_NAMES_F = [
    "Marie", "Élodie", "Chloé", "Léa", "Inès", "Zoé", "Anaïs", "Maëlle", "Héloïse", "Noémie",
    "Anne-Sophie", "Marie-Thérèse", "Fatoumata", "Aïcha", "Françoise", "Bérénice", "Agnès",
    "Solène", "Clémence", "Gwenaëlle", "Marie-Claude Geneviève", "Thi Hương",
]
FIRST_NAMES_M = [
    "Jean", "Pierre", "Lucas", "Hugo", "Théo", "Noé", "Raphaël", "Gaël", "Loïc", "Jérôme",
    "Jean-Baptiste", "François-Xavier", "Mamadou", "Youssef", "Hervé", "Benoît", "Aurélien",
    "Stéphane", "Joël", "Jean-Pierre Marie Joseph", "Anh Tuấn", "Ángel",
]
BIRTH_PLACES = [
    "Paris 14e", "Lyon 3e", "Marseille 8e", "Bordeaux", "Nanterre", "Saint-Étienne",
    "Fort-de-France", "Pointe-à-Pitre", "Alger (Algérie)", "Dakar (Sénégal)", "Lille",
    "Aix-en-Provence", "Châlons-en-Champagne", "Hô-Chi-Minh-Ville (Viêt Nam)",
]
COMMUNES = {
    "75056": "Paris",
    "92050": "Nanterre",
    "69123": "Lyon",
    "13055": "Marseille",
    "33063": "Bordeaux",
}
STATIONS = {
    "PN-75-001": "Commissariat central du 1er arrondissement, Paris",
    "PN-69-003": "Commissariat du 3e arrondissement, Lyon",
    "GN-33-063": "Brigade territoriale autonome de Bordeaux-Caudéran",
}
