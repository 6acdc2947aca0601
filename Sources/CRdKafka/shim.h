// librdkafka, Debian's librdkafka-dev. Only SparkLedgerKafka imports this module.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
