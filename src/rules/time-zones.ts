/**
 * Windows time zone ids, the form Azure Backup policies take for `timeZone`.
 *
 * The ids and the IANA zones they cover follow the Unicode CLDR Windows mapping
 * (supplemental windowsZones). Whether a zone observes daylight saving time was
 * worked out once from the representative zone's 2026 offsets (ICU 78, tz 2025c)
 * and is shipped as data, so answers never depend on the ICU of the machine
 * running the program.
 */

/** [Windows id, observes DST, representative IANA zone (CLDR territory 001), other IANA zones it covers] */
type ZoneRow = readonly [id: string, dst: boolean, representative: string, others: string];

// Morocco counts as observing DST: its clock moves back an hour each Ramadan.
const ZONES: readonly ZoneRow[] = [
    ["Dateline Standard Time", false, "Etc/GMT+12", ""],
    ["UTC-11", false, "Etc/GMT+11", "Pacific/Pago_Pago Pacific/Niue Pacific/Midway"],
    ["Aleutian Standard Time", true, "America/Adak", ""],
    ["Hawaiian Standard Time", false, "Pacific/Honolulu", "Pacific/Rarotonga Pacific/Tahiti Etc/GMT+10"],
    ["Marquesas Standard Time", false, "Pacific/Marquesas", ""],
    ["Alaskan Standard Time", true, "America/Anchorage",
        "America/Juneau America/Metlakatla America/Nome America/Sitka America/Yakutat"],
    ["UTC-09", false, "Etc/GMT+9", "Pacific/Gambier"],
    ["Pacific Standard Time (Mexico)", true, "America/Tijuana", ""],
    ["UTC-08", false, "Etc/GMT+8", "Pacific/Pitcairn"],
    ["Pacific Standard Time", true, "America/Los_Angeles", "America/Vancouver"],
    ["US Mountain Standard Time", false, "America/Phoenix",
        "America/Creston America/Dawson_Creek America/Fort_Nelson America/Hermosillo Etc/GMT+7"],
    ["Mountain Standard Time (Mexico)", false, "America/Mazatlan", ""],
    ["Mountain Standard Time", true, "America/Denver",
        "America/Edmonton America/Cambridge_Bay America/Inuvik America/Ciudad_Juarez America/Boise"],
    ["Yukon Standard Time", false, "America/Whitehorse", "America/Dawson"],
    ["Central America Standard Time", false, "America/Guatemala",
        "America/Belize America/Costa_Rica Pacific/Galapagos America/Tegucigalpa America/Managua" +
        " America/El_Salvador Etc/GMT+6"],
    ["Central Standard Time", true, "America/Chicago",
        "America/Winnipeg America/Rankin_Inlet America/Resolute America/Matamoros America/Ojinaga" +
        " America/Indiana/Knox America/Indiana/Tell_City America/Menominee" +
        " America/North_Dakota/Beulah America/North_Dakota/Center America/North_Dakota/New_Salem"],
    ["Easter Island Standard Time", true, "Pacific/Easter", ""],
    ["Central Standard Time (Mexico)", false, "America/Mexico_City",
        "America/Bahia_Banderas America/Merida America/Monterrey America/Chihuahua"],
    ["Canada Central Standard Time", false, "America/Regina", "America/Swift_Current"],
    ["SA Pacific Standard Time", false, "America/Bogota",
        "America/Rio_Branco America/Eirunepe America/Coral_Harbour America/Guayaquil" +
        " America/Jamaica America/Cayman America/Panama America/Lima Etc/GMT+5"],
    ["Eastern Standard Time (Mexico)", false, "America/Cancun", ""],
    ["Eastern Standard Time", true, "America/New_York",
        "America/Nassau America/Toronto America/Iqaluit America/Detroit America/Indiana/Petersburg" +
        " America/Indiana/Vincennes America/Indiana/Winamac America/Kentucky/Monticello" +
        " America/Louisville"],
    ["Haiti Standard Time", true, "America/Port-au-Prince", ""],
    ["Cuba Standard Time", true, "America/Havana", ""],
    ["US Eastern Standard Time", true, "America/Indianapolis", "America/Indiana/Marengo America/Indiana/Vevay"],
    ["Turks And Caicos Standard Time", true, "America/Grand_Turk", ""],
    ["Paraguay Standard Time", false, "America/Asuncion", ""],
    ["Atlantic Standard Time", true, "America/Halifax",
        "Atlantic/Bermuda America/Glace_Bay America/Goose_Bay America/Moncton America/Thule"],
    ["Venezuela Standard Time", false, "America/Caracas", ""],
    ["Central Brazilian Standard Time", false, "America/Cuiaba", "America/Campo_Grande"],
    ["SA Western Standard Time", false, "America/La_Paz",
        "America/Antigua America/Anguilla America/Aruba America/Barbados America/St_Barthelemy" +
        " America/Kralendijk America/Manaus America/Boa_Vista America/Porto_Velho" +
        " America/Blanc-Sablon America/Curacao America/Dominica America/Santo_Domingo" +
        " America/Grenada America/Guadeloupe America/Guyana America/St_Kitts America/St_Lucia" +
        " America/Marigot America/Martinique America/Montserrat America/Puerto_Rico" +
        " America/Lower_Princes America/Port_of_Spain America/St_Vincent America/Tortola" +
        " America/St_Thomas Etc/GMT+4"],
    ["Pacific SA Standard Time", true, "America/Santiago", ""],
    ["Newfoundland Standard Time", true, "America/St_Johns", ""],
    ["Tocantins Standard Time", false, "America/Araguaina", ""],
    ["E. South America Standard Time", false, "America/Sao_Paulo", ""],
    ["SA Eastern Standard Time", false, "America/Cayenne",
        "Antarctica/Rothera Antarctica/Palmer America/Fortaleza America/Belem America/Maceio" +
        " America/Recife America/Santarem Atlantic/Stanley America/Paramaribo Etc/GMT+3"],
    ["Argentina Standard Time", false, "America/Buenos_Aires",
        "America/Argentina/La_Rioja America/Argentina/Rio_Gallegos America/Argentina/Salta" +
        " America/Argentina/San_Juan America/Argentina/San_Luis America/Argentina/Tucuman" +
        " America/Argentina/Ushuaia America/Catamarca America/Cordoba America/Jujuy America/Mendoza"],
    ["Greenland Standard Time", true, "America/Godthab", ""],
    ["Montevideo Standard Time", false, "America/Montevideo", ""],
    ["Magallanes Standard Time", false, "America/Punta_Arenas", ""],
    ["Saint Pierre Standard Time", true, "America/Miquelon", ""],
    ["Bahia Standard Time", false, "America/Bahia", ""],
    ["UTC-02", false, "Etc/GMT+2", "America/Noronha Atlantic/South_Georgia"],
    ["Azores Standard Time", true, "Atlantic/Azores", "America/Scoresbysund"],
    ["Cape Verde Standard Time", false, "Atlantic/Cape_Verde", "Etc/GMT+1"],
    ["UTC", false, "Etc/UTC", "Etc/GMT"],
    ["GMT Standard Time", true, "Europe/London",
        "Atlantic/Canary Atlantic/Faeroe Europe/Guernsey Europe/Dublin Europe/Isle_of_Man" +
        " Europe/Jersey Europe/Lisbon Atlantic/Madeira"],
    ["Greenwich Standard Time", false, "Atlantic/Reykjavik",
        "Africa/Ouagadougou Africa/Abidjan Africa/Accra America/Danmarkshavn Africa/Banjul" +
        " Africa/Conakry Africa/Bissau Africa/Monrovia Africa/Bamako Africa/Nouakchott" +
        " Atlantic/St_Helena Africa/Freetown Africa/Dakar Africa/Lome"],
    ["Sao Tome Standard Time", false, "Africa/Sao_Tome", ""],
    ["Morocco Standard Time", true, "Africa/Casablanca", "Africa/El_Aaiun"],
    ["W. Europe Standard Time", true, "Europe/Berlin",
        "Europe/Andorra Europe/Vienna Europe/Zurich Europe/Busingen Europe/Gibraltar Europe/Rome" +
        " Europe/Vaduz Europe/Luxembourg Europe/Monaco Europe/Malta Europe/Amsterdam Europe/Oslo" +
        " Europe/Stockholm Arctic/Longyearbyen Europe/San_Marino Europe/Vatican"],
    ["Central Europe Standard Time", true, "Europe/Budapest",
        "Europe/Tirane Europe/Prague Europe/Podgorica Europe/Belgrade Europe/Ljubljana" +
        " Europe/Bratislava"],
    ["Romance Standard Time", true, "Europe/Paris", "Europe/Brussels Europe/Copenhagen Europe/Madrid Africa/Ceuta"],
    ["Central European Standard Time", true, "Europe/Warsaw", "Europe/Sarajevo Europe/Zagreb Europe/Skopje"],
    ["W. Central Africa Standard Time", false, "Africa/Lagos",
        "Africa/Luanda Africa/Porto-Novo Africa/Kinshasa Africa/Bangui Africa/Brazzaville" +
        " Africa/Douala Africa/Algiers Africa/Libreville Africa/Malabo Africa/Niamey Africa/Ndjamena" +
        " Africa/Tunis Etc/GMT-1"],
    ["Jordan Standard Time", false, "Asia/Amman", ""],
    ["GTB Standard Time", true, "Europe/Bucharest", "Asia/Nicosia Asia/Famagusta Europe/Athens"],
    ["Middle East Standard Time", true, "Asia/Beirut", ""],
    ["Egypt Standard Time", true, "Africa/Cairo", ""],
    ["E. Europe Standard Time", true, "Europe/Chisinau", ""],
    ["Syria Standard Time", false, "Asia/Damascus", ""],
    ["West Bank Standard Time", true, "Asia/Hebron", "Asia/Gaza"],
    ["South Africa Standard Time", false, "Africa/Johannesburg",
        "Africa/Bujumbura Africa/Gaborone Africa/Lubumbashi Africa/Maseru Africa/Blantyre" +
        " Africa/Maputo Africa/Kigali Africa/Mbabane Africa/Lusaka Africa/Harare Etc/GMT-2"],
    ["FLE Standard Time", true, "Europe/Kiev",
        "Europe/Mariehamn Europe/Sofia Europe/Tallinn Europe/Helsinki Europe/Vilnius Europe/Riga"],
    ["Israel Standard Time", true, "Asia/Jerusalem", ""],
    ["South Sudan Standard Time", false, "Africa/Juba", ""],
    ["Kaliningrad Standard Time", false, "Europe/Kaliningrad", ""],
    ["Sudan Standard Time", false, "Africa/Khartoum", ""],
    ["Libya Standard Time", false, "Africa/Tripoli", ""],
    ["Namibia Standard Time", false, "Africa/Windhoek", ""],
    ["Arabic Standard Time", false, "Asia/Baghdad", ""],
    ["Turkey Standard Time", false, "Europe/Istanbul", ""],
    ["Arab Standard Time", false, "Asia/Riyadh", "Asia/Bahrain Asia/Kuwait Asia/Qatar Asia/Aden"],
    ["Belarus Standard Time", false, "Europe/Minsk", ""],
    ["Russian Standard Time", false, "Europe/Moscow", "Europe/Kirov Europe/Simferopol"],
    ["E. Africa Standard Time", false, "Africa/Nairobi",
        "Antarctica/Syowa Africa/Djibouti Africa/Asmera Africa/Addis_Ababa Indian/Comoro" +
        " Indian/Antananarivo Africa/Mogadishu Africa/Dar_es_Salaam Africa/Kampala Indian/Mayotte" +
        " Etc/GMT-3"],
    ["Iran Standard Time", false, "Asia/Tehran", ""],
    ["Arabian Standard Time", false, "Asia/Dubai", "Asia/Muscat Etc/GMT-4"],
    ["Astrakhan Standard Time", false, "Europe/Astrakhan", "Europe/Ulyanovsk"],
    ["Azerbaijan Standard Time", false, "Asia/Baku", ""],
    ["Russia Time Zone 3", false, "Europe/Samara", ""],
    ["Mauritius Standard Time", false, "Indian/Mauritius", "Indian/Reunion Indian/Mahe"],
    ["Saratov Standard Time", false, "Europe/Saratov", ""],
    ["Georgian Standard Time", false, "Asia/Tbilisi", ""],
    ["Volgograd Standard Time", false, "Europe/Volgograd", ""],
    ["Caucasus Standard Time", false, "Asia/Yerevan", ""],
    ["Afghanistan Standard Time", false, "Asia/Kabul", ""],
    ["West Asia Standard Time", false, "Asia/Tashkent",
        "Antarctica/Mawson Asia/Oral Asia/Almaty Asia/Aqtau Asia/Aqtobe Asia/Atyrau Asia/Qostanay" +
        " Indian/Maldives Indian/Kerguelen Asia/Dushanbe Asia/Ashgabat Asia/Samarkand Etc/GMT-5"],
    ["Ekaterinburg Standard Time", false, "Asia/Yekaterinburg", ""],
    ["Pakistan Standard Time", false, "Asia/Karachi", ""],
    ["Qyzylorda Standard Time", false, "Asia/Qyzylorda", ""],
    ["India Standard Time", false, "Asia/Calcutta", ""],
    ["Sri Lanka Standard Time", false, "Asia/Colombo", ""],
    ["Nepal Standard Time", false, "Asia/Katmandu", ""],
    ["Central Asia Standard Time", false, "Asia/Bishkek", "Antarctica/Vostok Asia/Urumqi Indian/Chagos Etc/GMT-6"],
    ["Bangladesh Standard Time", false, "Asia/Dhaka", "Asia/Thimphu"],
    ["Omsk Standard Time", false, "Asia/Omsk", ""],
    ["Myanmar Standard Time", false, "Asia/Rangoon", "Indian/Cocos"],
    ["SE Asia Standard Time", false, "Asia/Bangkok",
        "Antarctica/Davis Indian/Christmas Asia/Jakarta Asia/Pontianak Asia/Phnom_Penh" +
        " Asia/Vientiane Asia/Saigon Etc/GMT-7"],
    ["Altai Standard Time", false, "Asia/Barnaul", ""],
    ["W. Mongolia Standard Time", false, "Asia/Hovd", ""],
    ["North Asia Standard Time", false, "Asia/Krasnoyarsk", "Asia/Novokuznetsk"],
    ["N. Central Asia Standard Time", false, "Asia/Novosibirsk", ""],
    ["Tomsk Standard Time", false, "Asia/Tomsk", ""],
    ["China Standard Time", false, "Asia/Shanghai", "Asia/Hong_Kong Asia/Macau"],
    ["North Asia East Standard Time", false, "Asia/Irkutsk", ""],
    ["Singapore Standard Time", false, "Asia/Singapore",
        "Asia/Brunei Asia/Makassar Asia/Kuala_Lumpur Asia/Kuching Asia/Manila Etc/GMT-8"],
    ["W. Australia Standard Time", false, "Australia/Perth", ""],
    ["Taipei Standard Time", false, "Asia/Taipei", ""],
    ["Ulaanbaatar Standard Time", false, "Asia/Ulaanbaatar", "Asia/Choibalsan"],
    ["Aus Central W. Standard Time", false, "Australia/Eucla", ""],
    ["Transbaikal Standard Time", false, "Asia/Chita", ""],
    ["Tokyo Standard Time", false, "Asia/Tokyo", "Asia/Jayapura Pacific/Palau Asia/Dili Etc/GMT-9"],
    ["North Korea Standard Time", false, "Asia/Pyongyang", ""],
    ["Korea Standard Time", false, "Asia/Seoul", ""],
    ["Yakutsk Standard Time", false, "Asia/Yakutsk", "Asia/Khandyga"],
    ["Cen. Australia Standard Time", true, "Australia/Adelaide", "Australia/Broken_Hill"],
    ["AUS Central Standard Time", false, "Australia/Darwin", ""],
    ["E. Australia Standard Time", false, "Australia/Brisbane", "Australia/Lindeman"],
    ["AUS Eastern Standard Time", true, "Australia/Sydney", "Australia/Melbourne"],
    ["West Pacific Standard Time", false, "Pacific/Port_Moresby",
        "Antarctica/DumontDUrville Pacific/Truk Pacific/Guam Pacific/Saipan Etc/GMT-10"],
    ["Tasmania Standard Time", true, "Australia/Hobart", "Antarctica/Macquarie"],
    ["Vladivostok Standard Time", false, "Asia/Vladivostok", "Asia/Ust-Nera"],
    ["Lord Howe Standard Time", true, "Australia/Lord_Howe", ""],
    ["Bougainville Standard Time", false, "Pacific/Bougainville", ""],
    ["Russia Time Zone 10", false, "Asia/Srednekolymsk", ""],
    ["Magadan Standard Time", false, "Asia/Magadan", ""],
    ["Norfolk Standard Time", true, "Pacific/Norfolk", ""],
    ["Sakhalin Standard Time", false, "Asia/Sakhalin", ""],
    ["Central Pacific Standard Time", false, "Pacific/Guadalcanal",
        "Antarctica/Casey Pacific/Ponape Pacific/Kosrae Pacific/Noumea Pacific/Efate Etc/GMT-11"],
    ["Russia Time Zone 11", false, "Asia/Kamchatka", "Asia/Anadyr"],
    ["New Zealand Standard Time", true, "Pacific/Auckland", "Antarctica/McMurdo"],
    ["UTC+12", false, "Etc/GMT-12",
        "Pacific/Tarawa Pacific/Majuro Pacific/Kwajalein Pacific/Nauru Pacific/Funafuti" +
        " Pacific/Wake Pacific/Wallis"],
    ["Fiji Standard Time", false, "Pacific/Fiji", ""],
    ["Chatham Islands Standard Time", true, "Pacific/Chatham", ""],
    ["UTC+13", false, "Etc/GMT-13", "Pacific/Enderbury Pacific/Fakaofo"],
    ["Tonga Standard Time", false, "Pacific/Tongatapu", ""],
    ["Samoa Standard Time", false, "Pacific/Apia", ""],
    ["Line Islands Standard Time", false, "Pacific/Kiritimati", "Etc/GMT-14"],
];

// Newer or alternative IANA names for zones CLDR lists under an older name,
// so "Asia/Kolkata" finds the same Windows zone as "Asia/Calcutta".
const IANA_ALIASES: Readonly<Record<string, string>> = {
    "Asia/Kolkata": "Asia/Calcutta",
    "Asia/Kathmandu": "Asia/Katmandu",
    "Asia/Yangon": "Asia/Rangoon",
    "Asia/Ho_Chi_Minh": "Asia/Saigon",
    "Asia/Chongqing": "Asia/Shanghai",
    "Asia/Istanbul": "Europe/Istanbul",
    "Europe/Kyiv": "Europe/Kiev",
    "Europe/Uzhgorod": "Europe/Kiev",
    "Europe/Zaporozhye": "Europe/Kiev",
    "Europe/Nicosia": "Asia/Nicosia",
    "America/Nuuk": "America/Godthab",
    "America/Argentina/Buenos_Aires": "America/Buenos_Aires",
    "America/Argentina/Catamarca": "America/Catamarca",
    "America/Argentina/Cordoba": "America/Cordoba",
    "America/Argentina/Jujuy": "America/Jujuy",
    "America/Argentina/Mendoza": "America/Mendoza",
    "America/Indiana/Indianapolis": "America/Indianapolis",
    "America/Kentucky/Louisville": "America/Louisville",
    "America/Atikokan": "America/Coral_Harbour",
    "America/Montreal": "America/Toronto",
    "Australia/Canberra": "Australia/Sydney",
    "Pacific/Chuuk": "Pacific/Truk",
    "Pacific/Pohnpei": "Pacific/Ponape",
    "Pacific/Kanton": "Pacific/Enderbury",
    "Atlantic/Faroe": "Atlantic/Faeroe",
    "Africa/Asmara": "Africa/Asmera",
    "US/Pacific": "America/Los_Angeles",
    "US/Mountain": "America/Denver",
    "US/Central": "America/Chicago",
    "US/Eastern": "America/New_York",
    "US/Alaska": "America/Anchorage",
    "US/Hawaii": "Pacific/Honolulu",
    "US/Arizona": "America/Phoenix",
    UTC: "Etc/UTC",
    GMT: "Etc/GMT",
    "Etc/UCT": "Etc/UTC",
    "Etc/Universal": "Etc/UTC",
    "Etc/Zulu": "Etc/UTC",
    "Etc/GMT0": "Etc/GMT",
    "Etc/GMT+0": "Etc/GMT",
    "Etc/GMT-0": "Etc/GMT",
    "Etc/Greenwich": "Etc/GMT",
};

/** Every Windows time zone id Azure Backup can be given, in UTC-offset order. */
export const WINDOWS_TIME_ZONES: readonly string[] = Object.freeze(ZONES.map((z) => z[0]));

const DST = new Map<string, boolean>(ZONES.map((z) => [z[0], z[1]]));
const REPRESENTATIVE = new Map<string, string>(ZONES.map((z) => [z[0], z[2]]));

const BY_IANA = new Map<string, string>();
for (const [id, , representative, others] of ZONES) {
    BY_IANA.set(representative, id);
    for (const name of others.split(" ")) if (name !== "") BY_IANA.set(name, id);
}
for (const [alias, target] of Object.entries(IANA_ALIASES)) {
    const id = BY_IANA.get(target);
    if (id !== undefined && !BY_IANA.has(alias)) BY_IANA.set(alias, id);
}

// Case-folded lookups for suggestions. Windows ids also drop spaces, dots and
// brackets so "W Europe Standard Time" still finds "W. Europe Standard Time";
// "+" and "-" stay because "UTC+12" and "UTC-12" differ only there.
const foldWindows = (s: string): string => s.toLowerCase().replace(/[^a-z0-9+-]/g, "");
const WINDOWS_FOLDED = new Map<string, string>(ZONES.map((z) => [foldWindows(z[0]), z[0]]));
const IANA_FOLDED = new Map<string, string>([...BY_IANA].map(([name, id]) => [name.toLowerCase(), id]));

/** True when `id` is exactly (case included) a Windows time zone id. */
export function isWindowsTimeZone(id: string): boolean {
    return DST.has(id);
}

/** Whether the Windows zone currently moves its clocks during the year; false for unknown ids. */
export function observesDaylightSaving(id: string): boolean {
    return DST.get(id) ?? false;
}

/** The IANA zone CLDR names as the main equivalent of a Windows id, e.g. "Europe/Berlin". */
export function representativeIanaZone(id: string): string | undefined {
    return REPRESENTATIVE.get(id);
}

/**
 * The Windows id to suggest for something that is not one: an IANA zone name
 * ("Europe/Berlin" → "W. Europe Standard Time") or a Windows id with the wrong
 * case or punctuation ("pacific standard time" → "Pacific Standard Time").
 * A correct Windows id comes back unchanged; anything else gives undefined.
 */
export function windowsTimeZoneFor(input: string): string | undefined {
    const trimmed = input.trim();
    if (trimmed === "") return undefined;
    if (DST.has(trimmed)) return trimmed;
    return BY_IANA.get(trimmed) ?? IANA_FOLDED.get(trimmed.toLowerCase()) ?? WINDOWS_FOLDED.get(foldWindows(trimmed));
}
