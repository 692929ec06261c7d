/* An engine written in C embedding WeftKit Policy through its C API (weftkit_policy.h):
 * compile the example policies, build contexts for two tenants, check operations, filter an
 * Arrow batch of orders, reject a violating INSERT, and reload (a broken version that changes
 * nothing, then a good one that a statement already running does not see).
 *
 *   embed_check ROLES.yaml POLICIES.sql
 *
 * Writes the reload's files, policies_v2.sql and policies_broken.sql, into the current
 * directory. Exit status 0 when everything went as the API promises, 1 otherwise. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <weftkit/weftkit_policy.h>

/* An unexpected failure ends the program: the example shows the happy path of an engine. */
static void must(weftkit_status status, weftkit_error* error, const char* what) {
  if (status == WEFTKIT_OK) return;
  fprintf(stderr, "embed_check: %s failed: %s: %s\n", what, weftkit_status_name(status),
          error != NULL ? error->message : "(no message)");
  weftkit_error_free(error);
  exit(1);
}

/* An expected failure: print what the engine would tell its client. */
static void print_failure(const char* what, weftkit_status status, weftkit_error* error) {
  const char* message = error != NULL ? error->message : "(no message)";
  size_t length = strlen(message);
  /* Rendered diagnostics end with a newline of their own. */
  if (length > 0 && message[length - 1] == '\n') --length;
  printf("%s: %s: %.*s\n", what, weftkit_status_name(status), (int)length, message);
  weftkit_error_free(error);
}

/* ---- The orders table of examples/policies.sql as an Arrow struct array ----------------- */
/* CREATE TABLE orders (id bigint, tenant_id text, customer text, amount integer,
 *                      status varchar(16), created date): one child per column, in order.
 * The rows are examples/orders.jsonl's. */
enum { kRows = 5, kColumns = 6 };

static const int64_t kIds[kRows] = {1, 2, 3, 4, 5};
static const char kTenants[] = "tenant-001tenant-001tenant-002tenant-002tenant-001";
static const int32_t kTenantOffsets[kRows + 1] = {0, 10, 20, 30, 40, 50};
static const char kCustomers[] = "AcmeGlobexInitechUmbrellaHooli";
static const int32_t kCustomerOffsets[kRows + 1] = {0, 4, 10, 17, 25, 30};
/* Row 5 (index 4) has NULL amount, status and created: its validity bit is clear. */
static const uint8_t kFirstFourValid[1] = {0x0F};
static const int32_t kAmounts[kRows] = {1200, 80, 560, 95, 0};
static const char kStatuses[] = "paidopenpaidrefunded";
static const int32_t kStatusOffsets[kRows + 1] = {0, 4, 8, 12, 20, 20};
/* Arrow date32: days since 1970-01-01 (2026-10-02, 2026-11-20, 2026-09-14, 2026-11-01). */
static const int32_t kCreated[kRows] = {20728, 20777, 20710, 20758, 0};

/* The batch lives in static storage: releasing it frees nothing. */
static void release_schema(struct ArrowSchema* schema) { schema->release = NULL; }
static void release_array(struct ArrowArray* array) { array->release = NULL; }

typedef struct OrdersBatch {
  struct ArrowSchema schema;
  struct ArrowSchema column_schemas[kColumns];
  struct ArrowSchema* column_schema_pointers[kColumns];
  struct ArrowArray array;
  struct ArrowArray columns[kColumns];
  struct ArrowArray* column_pointers[kColumns];
  const void* buffers[kColumns][3];
  const void* struct_buffers[1];
} OrdersBatch;

static void set_column(OrdersBatch* batch, int index, const char* name, const char* format, const uint8_t* validity,
                       int64_t null_count, const void* values, const void* text_data) {
  struct ArrowSchema* schema = &batch->column_schemas[index];
  memset(schema, 0, sizeof *schema);
  schema->format = format;
  schema->name = name;
  schema->flags = ARROW_FLAG_NULLABLE;
  schema->release = release_schema;
  batch->column_schema_pointers[index] = schema;

  struct ArrowArray* column = &batch->columns[index];
  memset(column, 0, sizeof *column);
  batch->buffers[index][0] = validity;
  batch->buffers[index][1] = values;
  batch->buffers[index][2] = text_data;
  column->length = kRows;
  column->null_count = null_count;
  column->n_buffers = text_data != NULL ? 3 : 2;
  column->buffers = batch->buffers[index];
  column->release = release_array;
  batch->column_pointers[index] = column;
}

static void build_orders_batch(OrdersBatch* batch) {
  set_column(batch, 0, "id", "l", NULL, 0, kIds, NULL);
  set_column(batch, 1, "tenant_id", "u", NULL, 0, kTenantOffsets, kTenants);
  set_column(batch, 2, "customer", "u", NULL, 0, kCustomerOffsets, kCustomers);
  set_column(batch, 3, "amount", "i", kFirstFourValid, 1, kAmounts, NULL);
  set_column(batch, 4, "status", "u", kFirstFourValid, 1, kStatusOffsets, kStatuses);
  set_column(batch, 5, "created", "tdD", kFirstFourValid, 1, kCreated, NULL);

  memset(&batch->schema, 0, sizeof batch->schema);
  batch->schema.format = "+s";
  batch->schema.name = "orders";
  batch->schema.n_children = kColumns;
  batch->schema.children = batch->column_schema_pointers;
  batch->schema.release = release_schema;

  memset(&batch->array, 0, sizeof batch->array);
  batch->struct_buffers[0] = NULL; /* no row of a batch is itself NULL */
  batch->array.length = kRows;
  batch->array.n_buffers = 1;
  batch->array.buffers = batch->struct_buffers;
  batch->array.n_children = kColumns;
  batch->array.children = batch->column_pointers;
  batch->array.release = release_array;
}

static int row_is_valid(int row) { return (kFirstFourValid[0] >> row) & 1; }

/* Prints date32 days as YYYY-MM-DD (the civil-from-days algorithm of H. Hinnant's date library). */
static void print_date(int32_t days_since_1970) {
  int64_t z = (int64_t)days_since_1970 + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t day_of_era = z - era * 146097;
  int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t month_index = (5 * day_of_year + 2) / 153;
  int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  int64_t year = year_of_era + era * 400 + (month <= 2);
  printf("%04d-%02d-%02d", (int)year, (int)month, (int)day);
}

static void print_order(int row) {
  int tenant_length = kTenantOffsets[row + 1] - kTenantOffsets[row];
  int customer_length = kCustomerOffsets[row + 1] - kCustomerOffsets[row];
  printf("  id=%" PRId64 " tenant_id=%.*s customer=%.*s", kIds[row], tenant_length, kTenants + kTenantOffsets[row],
         customer_length, kCustomers + kCustomerOffsets[row]);
  if (!row_is_valid(row)) {
    printf(" amount=NULL status=NULL created=NULL\n");
    return;
  }
  int status_length = kStatusOffsets[row + 1] - kStatusOffsets[row];
  printf(" amount=%" PRId32 " status=%.*s created=", kAmounts[row], status_length, kStatuses + kStatusOffsets[row]);
  print_date(kCreated[row]);
  printf("\n");
}

/* Runs SELECT * FROM orders in a statement: the batch through the row filter, then the rows
 * the selection bitmap keeps. */
static void select_orders(const weftkit_statement* statement, const char* who) {
  weftkit_row_filter* filter = NULL;
  weftkit_error* error = NULL;
  must(weftkit_row_filter_open(statement, "orders", WEFTKIT_COMMAND_SELECT, true, false, &filter, &error), error,
       "opening the SELECT filter");
  OrdersBatch batch;
  build_orders_batch(&batch);
  uint64_t selection[WEFTKIT_SELECTION_WORDS(kRows)];
  weftkit_batch_exceptions* exceptions = NULL;
  must(weftkit_row_filter_batch(filter, &batch.schema, &batch.array, NULL, selection, WEFTKIT_SELECTION_WORDS(kRows),
                                &exceptions, &error),
       error, "filtering the batch");
  size_t exception_count = 0;
  must(weftkit_batch_exceptions_count(exceptions, &exception_count), NULL, "counting exceptions");
  int selected = 0;
  for (int row = 0; row < kRows; ++row) selected += (int)((selection[row / 64] >> (row % 64)) & 1);
  printf("%s sees %d of %d rows (selection bitmap 0x%02" PRIx64 ", %zu exceptions):\n", who, selected, kRows,
         selection[0], exception_count);
  for (int row = 0; row < kRows; ++row) {
    if ((selection[row / 64] >> (row % 64)) & 1) print_order(row);
  }
  weftkit_batch_exceptions_free(exceptions);
  weftkit_row_filter_free(filter);
}

/* ---- Contexts and checks ------------------------------------------------------------------ */

static weftkit_context* connect_user(const weftkit_store* store, const char* user, const char* tenant) {
  /* Policies read the tenant from the session setting app.tenant_id, as SET would give it. */
  weftkit_setting settings[1] = {{"app.tenant_id", tenant}};
  weftkit_identity identity = {
      .user = user,
      .tenant = tenant,
      .settings = settings,
      .setting_count = 1,
      .source_address = "10.0.0.7",
      .auth_method = WEFTKIT_AUTH_PASSWORD,
  };
  weftkit_context* context = NULL;
  weftkit_error* error = NULL;
  must(weftkit_context_build(store, &identity, &context, &error), error, "building a context");
  printf("connected %s with app.tenant_id = %s\n", user, tenant);
  return context;
}

static const char* kOperationNames[] = {"SELECT", "INSERT", "UPDATE",  "DELETE", "TRUNCATE", "REFERENCES",
                                        "TRIGGER", "COPY TO", "COPY FROM", "CREATE", "ALTER", "DROP",
                                        "GRANT",  "REVOKE", "CONNECT", "EXECUTE"};

static void check(weftkit_context* context, const char* user, weftkit_operation op, const char* table) {
  printf("%-5s %-9s %-9s %s\n", user, kOperationNames[op], table, weftkit_allowed(context, op, table) ? "ALLOW" : "DENY");
}

/* ---- Files for the reload ----------------------------------------------------------------- */

/* Writes `base` followed by `extra` to `path`. */
static void write_policy_file(const char* base, const char* extra, const char* path) {
  FILE* in = fopen(base, "rb");
  FILE* out = fopen(path, "wb");
  if (in == NULL || out == NULL) {
    fprintf(stderr, "embed_check: cannot copy %s to %s\n", base, path);
    exit(1);
  }
  char chunk[4096];
  size_t read;
  while ((read = fread(chunk, 1, sizeof chunk, in)) > 0) fwrite(chunk, 1, read, out);
  fputs(extra, out);
  fclose(in);
  if (fclose(out) != 0) {
    fprintf(stderr, "embed_check: cannot write %s\n", path);
    exit(1);
  }
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: embed_check ROLES.yaml POLICIES.sql\n");
    return 2;
  }
  /* A program built against another header than the library it runs with stops here. */
  if (weftkit_api_version() != WEFTKIT_POLICY_API_VERSION) {
    fprintf(stderr, "embed_check: built for WeftKit Policy C API %d, running with %" PRIu32 "\n",
            WEFTKIT_POLICY_API_VERSION, weftkit_api_version());
    return 1;
  }
  printf("WeftKit Policy C API version %" PRIu32 "\n", weftkit_api_version());

  weftkit_error* error = NULL;
  weftkit_compiler* compiler = NULL;
  must(weftkit_compiler_create(&compiler, &error), error, "creating the compiler");
  const char* files[2] = {argv[1], argv[2]};
  weftkit_store* store = NULL;
  must(weftkit_compiler_compile(compiler, files, 2, &store, &error), error, "compiling");
  uint64_t generation = 0;
  must(weftkit_store_generation(store, &generation), NULL, "reading the generation");
  printf("compiled %s and %s: generation %" PRIu64 "\n", argv[1], argv[2], generation);

  printf("\n== Contexts\n");
  weftkit_context* alice = connect_user(store, "alice", "tenant-001"); /* analyst */
  weftkit_context* bob = connect_user(store, "bob", "tenant-002");     /* read_write, audit_guard */
  {
    weftkit_identity anonymous = {.user = ""};
    weftkit_context* none = NULL;
    weftkit_status status = weftkit_context_build(store, &anonymous, &none, &error);
    print_failure("an empty user", status, error);
    const char* roles[1] = {"auditor"};
    weftkit_identity unknown_role = {.user = "erin", .roles = roles, .role_count = 1};
    status = weftkit_context_build(store, &unknown_role, &none, &error);
    print_failure("erin requesting role auditor", status, error);
  }

  printf("\n== Checks\n");
  check(alice, "alice", WEFTKIT_OP_SELECT, "orders");
  check(alice, "alice", WEFTKIT_OP_COPY_TO, "orders");
  check(alice, "alice", WEFTKIT_OP_INSERT, "orders");
  check(bob, "bob", WEFTKIT_OP_DELETE, "orders");
  check(bob, "bob", WEFTKIT_OP_DELETE, "audit_log");
  check(bob, "bob", WEFTKIT_OP_TRUNCATE, "orders");
  {
    /* The per-row fast path: name the table once, check it as often as needed. */
    weftkit_resource* orders = NULL;
    must(weftkit_resource_create(bob, "orders", &orders, &error), error, "naming orders");
    printf("bob on orders through a resource handle: SELECT %s, UPDATE %s, DROP %s\n",
           weftkit_allowed_resource(bob, WEFTKIT_OP_SELECT, orders) ? "ALLOW" : "DENY",
           weftkit_allowed_resource(bob, WEFTKIT_OP_UPDATE, orders) ? "ALLOW" : "DENY",
           weftkit_allowed_resource(bob, WEFTKIT_OP_DROP, orders) ? "ALLOW" : "DENY");
    weftkit_resource_free(orders);
  }
  {
    weftkit_statement* statement = NULL;
    must(weftkit_statement_begin(alice, &statement, &error), error, "beginning alice's statement");
    char buffer[256];
    must(weftkit_statement_explain(statement, WEFTKIT_OP_INSERT, "orders", buffer, sizeof buffer, NULL, &error), error,
         "explaining");
    printf("explain: %s\n", buffer);
    weftkit_statement_free(statement);
    must(weftkit_statement_begin(bob, &statement, &error), error, "beginning bob's statement");
    char* text = NULL;
    must(weftkit_statement_explain_alloc(statement, WEFTKIT_OP_DELETE, "audit_log", &text, &error), error, "explaining");
    printf("explain: %s\n", text);
    weftkit_string_free(text);
    weftkit_statement_free(statement);
  }

  printf("\n== SELECT * FROM orders: one Arrow batch of %d rows through each session's row filter\n", kRows);
  {
    weftkit_statement* statement = NULL;
    must(weftkit_statement_begin(alice, &statement, &error), error, "beginning alice's statement");
    select_orders(statement, "alice");
    weftkit_statement_free(statement);
    must(weftkit_statement_begin(bob, &statement, &error), error, "beginning bob's statement");
    select_orders(statement, "bob");
    weftkit_statement_free(statement);
  }

  printf("\n== INSERT INTO orders as bob, one row at a time\n");
  {
    weftkit_statement* statement = NULL;
    must(weftkit_statement_begin(bob, &statement, &error), error, "beginning bob's INSERT");
    weftkit_row_filter* filter = NULL;
    must(weftkit_row_filter_open(statement, "orders", WEFTKIT_COMMAND_INSERT, false, false, &filter, &error), error,
         "opening the INSERT filter");
    /* created = 2026-11-29: days since 2000-01-01, as datums count them. */
    const char* tenants[2] = {"tenant-002", "tenant-001"};
    const char* customers[2] = {"Wayne", "Stark"};
    for (int index = 0; index < 2; ++index) {
      weftkit_datum row[kColumns] = {
          weftkit_datum_int(7 - index),
          weftkit_datum_text(tenants[index], (int64_t)strlen(tenants[index])),
          weftkit_datum_text(customers[index], (int64_t)strlen(customers[index])),
          weftkit_datum_int(index == 0 ? 700 : 300),
          weftkit_datum_text("open", 4),
          weftkit_datum_int(9829),
      };
      weftkit_row_result result;
      char* message = NULL;
      must(weftkit_row_filter_check(filter, row, kColumns, NULL, 0, &result, &message, &error), error, "checking a row");
      printf("id=%d tenant_id=%s: %s%s%s\n", 7 - index, tenants[index],
             result == WEFTKIT_ROW_PASS ? "inserted" : "rejected", message != NULL ? ": ERROR:  " : "",
             message != NULL ? message : "");
      weftkit_string_free(message);
    }
    /* The row's length goes with it: one datum short is refused, never read past its end. */
    size_t columns = 0;
    must(weftkit_row_filter_column_count(filter, &columns), NULL, "asking the filter's row length");
    weftkit_datum short_row[kColumns - 1] = {weftkit_datum_int(8), weftkit_datum_text("tenant-002", 10),
                                             weftkit_datum_text("Wayne", 5), weftkit_datum_int(10),
                                             weftkit_datum_text("open", 4)};
    weftkit_row_result result;
    weftkit_status status = weftkit_row_filter_check(filter, short_row, columns - 1, NULL, 0, &result, NULL, &error);
    print_failure("a row without created", status, error);
    weftkit_row_filter_free(filter);
    weftkit_statement_free(statement);
  }

  printf("\n== Reload\n");
  /* A statement that began before the reloads: it keeps the version it started with. */
  weftkit_statement* before_reload = NULL;
  must(weftkit_statement_begin(bob, &before_reload, &error), error, "beginning bob's long statement");
  {
    write_policy_file(argv[2], "\nCREATE POLICY broken ON orders USING (amout > 0);\n", "policies_broken.sql");
    const char* broken[2] = {argv[1], "policies_broken.sql"};
    weftkit_status status = weftkit_compiler_reload(compiler, store, broken, 2, &error);
    print_failure("reload with policies_broken.sql", status, error);
    must(weftkit_store_generation(store, &generation), NULL, "reading the generation");
    printf("still serving generation %" PRIu64 "\n", generation);
  }
  {
    write_policy_file(argv[2],
                      "\n-- read_write sessions see small orders only.\n"
                      "CREATE POLICY small_orders_only ON orders AS RESTRICTIVE FOR SELECT TO read_write\n"
                      "  USING (amount < 500);\n",
                      "policies_v2.sql");
    const char* next[2] = {argv[1], "policies_v2.sql"};
    must(weftkit_compiler_reload(compiler, store, next, 2, &error), error, "reloading policies_v2.sql");
    must(weftkit_store_generation(store, &generation), NULL, "reading the generation");
    printf("reloaded with policies_v2.sql: generation %" PRIu64 "\n", generation);
  }
  select_orders(before_reload, "bob's statement begun before the reload");
  weftkit_statement_free(before_reload);
  {
    weftkit_statement* statement = NULL;
    must(weftkit_statement_begin(bob, &statement, &error), error, "beginning bob's new statement");
    select_orders(statement, "bob's next statement");
    weftkit_statement_free(statement);
  }

  weftkit_context_free(alice);
  weftkit_context_free(bob);
  weftkit_store_free(store);
  weftkit_compiler_free(compiler);
  return 0;
}
