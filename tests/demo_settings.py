"""Settings of a test case repository: the demo organisation 'vof' with what letters need."""

VOF_SETTINGS = (
    'cattool:\n  schema_version: "1.1"\n'
    "organisations:\n"
    "  vof:\n"
    '    name: {ru: Общественный фонд «Голос свободы», en: Public Foundation "Voice of Freedom"}\n'
    "    city: {ru: г. Бишкек, en: Bishkek}\n"
    '    address: {ru: "720000, г. Бишкек, ул. Вымышленная, 1 (демо)", '
    'en: "1 Fictional Street, Bishkek 720000 (demo)"}\n'
    '    phone: "+996 312 000 000"\n'
    "    email: info@example.org\n"
    "    signatory:\n"
    "      name: {ru: А. Б. Примерова, en: A. B. Primerova}\n"
    "      position: {ru: Директор, en: Director}\n"
)
