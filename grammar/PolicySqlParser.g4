// The grammar of WeftKit Policy's SQL dialect: the PostgreSQL 15 statements that describe
// tables and their row-level security policies, and the expressions a policy may use.
//
// Expressions follow PostgreSQL's operator precedence (gram.y, from lowest to highest):
//   OR; AND; NOT; IS, ISNULL, NOTNULL; comparison (< > = <= >= <>);
//   BETWEEN, IN, LIKE, ILIKE, SIMILAR; ESCAPE; other operators (||, ~, ...);
//   + -; * / %; AT TIME ZONE; COLLATE; unary + -; [ ]; ::
// In `expr` below, earlier alternatives bind tighter; ^ is parsed as one of the "other
// operators", which are all rejected, so its own level does not matter. PostgreSQL declares
// comparison and BETWEEN/IN/LIKE non-associative (`a = b = c` is a syntax error); ANTLR has
// no non-associative operators, so the AST builder reports those chains.
//
// Constructs outside the dialect (subqueries, arrays, ANY/ALL, window functions, other
// statements, ...) are recognised here on purpose, so that the front end can say exactly
// what is not supported and where, instead of reporting a bare syntax error.
parser grammar PolicySqlParser;

options { tokenVocab = PolicySqlLexer; }

// One statement and its terminator; the front end calls this once per statement so that a
// syntax error costs only the statement it is in.
statementEntry
  : statement (SEMI | EOF)
  ;

statement
  : createTable
  | alterTable
  | createPolicy
  | alterPolicy
  | dropPolicy
  | unsupportedStatement
  ;

// ---------------------------------------------------------------------------------------------
// CREATE TABLE

createTable
  : CREATE TABLE (IF NOT EXISTS)? qualifiedName LPAREN (tableElement (COMMA tableElement)*)? RPAREN
  ;

tableElement
  : columnDefinition
  | tableConstraint
  ;

columnDefinition
  : colId typeName columnConstraint*
  ;

columnConstraint
  : (CONSTRAINT constraintName=colId)? columnConstraintBody
  ;

columnConstraintBody
  : NOT NULL_P                                                        # notNullConstraint
  | NULL_P                                                            # nullConstraint
  | PRIMARY KEY                                                       # primaryKeyConstraint
  | DEFAULT bExpr                                                     # defaultConstraint
  | kind=(UNIQUE | CHECK | REFERENCES | GENERATED | COLLATE) constraintTokens*
                                                                      # unsupportedColumnConstraint
  ;

tableConstraint
  : (CONSTRAINT constraintName=colId)? tableConstraintBody
  ;

tableConstraintBody
  : PRIMARY KEY LPAREN colId (COMMA colId)* RPAREN                    # primaryKeyTableConstraint
  | kind=(UNIQUE | CHECK | FOREIGN) constraintTokens*                 # unsupportedTableConstraint
  ;

// The rest of a constraint this dialect does not support, up to the next column.
constraintTokens
  : LPAREN balanced* RPAREN
  | LBRACKET balanced* RBRACKET
  | ~(LPAREN | RPAREN | LBRACKET | RBRACKET | SEMI | COMMA)
  ;

// ---------------------------------------------------------------------------------------------
// ALTER TABLE name ENABLE | DISABLE | FORCE | NO FORCE ROW LEVEL SECURITY [, ...]

alterTable
  : ALTER TABLE (IF EXISTS)? ONLY? qualifiedName alterTableAction (COMMA alterTableAction)*
  ;

alterTableAction
  : ENABLE ROW LEVEL SECURITY                                         # enableRowSecurity
  | DISABLE ROW LEVEL SECURITY                                        # disableRowSecurity
  | FORCE ROW LEVEL SECURITY                                          # forceRowSecurity
  | NO FORCE ROW LEVEL SECURITY                                       # noForceRowSecurity
  | ~(ENABLE | DISABLE | FORCE | NO | SEMI | COMMA) ~(SEMI | COMMA)*  # unsupportedAlterTableAction
  ;

// ---------------------------------------------------------------------------------------------
// Policies

createPolicy
  : CREATE POLICY colId ON qualifiedName
    (AS colId)?
    (FOR policyCommand)?
    (TO roleList)?
    usingClause?
    withCheckClause?
  ;

alterPolicy
  : ALTER POLICY (IF EXISTS)? colId ON qualifiedName RENAME TO colId  # renamePolicy
  | ALTER POLICY colId ON qualifiedName (TO roleList)? usingClause? withCheckClause?
                                                                      # changePolicy
  ;

dropPolicy
  : DROP POLICY (IF EXISTS)? colId ON qualifiedName (CASCADE | RESTRICT)?
  ;

policyCommand
  : ALL | SELECT | INSERT | UPDATE | DELETE
  ;

roleList
  : roleSpec (COMMA roleSpec)*
  ;

roleSpec
  : CURRENT_USER
  | CURRENT_ROLE
  | SESSION_USER
  | nonReservedWord
  ;

usingClause
  : USING LPAREN expr RPAREN
  ;

withCheckClause
  : WITH CHECK LPAREN expr RPAREN
  ;

// ---------------------------------------------------------------------------------------------
// Statements outside the dialect: recognised by their first words, skipped to the next ';'.

unsupportedStatement
  : CREATE ~(TABLE | POLICY | SEMI) ~SEMI*
  | ALTER ~(TABLE | POLICY | SEMI) ~SEMI*
  | DROP ~(POLICY | SEMI) ~SEMI*
  | ~(CREATE | ALTER | DROP | SEMI) ~SEMI*
  ;

// ---------------------------------------------------------------------------------------------
// Expressions

expr
  : primaryExpr                                                       # primary
  | expr TYPECAST typeName                                            # typecast
  | expr LBRACKET balanced* RBRACKET                                  # subscript
  | op=(PLUS | MINUS) expr                                            # unarySign
  | expr COLLATE anyName                                              # collate
  | expr AT TIME ZONE expr                                            # atTimeZone
  | expr op=(STAR | SLASH | PERCENT) expr                             # multiplicative
  | expr op=(PLUS | MINUS) expr                                       # additive
  | op=OPERATOR expr                                                  # prefixOperator
  | expr op=(CONCAT | OPERATOR) expr                                  # otherOperator
  | expr ESCAPE expr                                                  # escape
  | expr NOT? IN inList                                               # in
  | expr NOT? BETWEEN symmetry=(ASYMMETRIC | SYMMETRIC)? bExpr AND expr # between
  | expr NOT? op=(LIKE | ILIKE) expr                                  # like
  | expr NOT? SIMILAR TO expr                                         # similarTo
  | expr comparisonOperator quantifier=(ANY | SOME | ALL) LPAREN balanced* RPAREN
                                                                      # quantifiedComparison
  | expr comparisonOperator expr                                      # comparison
  | expr IS NOT? DISTINCT FROM expr                                   # isDistinctFrom
  | expr IS NOT? test=(NULL_P | TRUE_P | FALSE_P | UNKNOWN)                 # isTest
  | expr op=(ISNULL | NOTNULL)                                        # nullTest
  | NOT expr                                                          # not
  | expr AND expr                                                     # and
  | expr OR expr                                                      # or
  ;

// PostgreSQL's b_expr: the operands that may appear where AND, NOT, IS, IN, LIKE and BETWEEN
// would be ambiguous (BETWEEN's lower bound, a column DEFAULT).
bExpr
  : primaryExpr                                                       # bPrimary
  | bExpr TYPECAST typeName                                           # bTypecast
  | bExpr LBRACKET balanced* RBRACKET                                 # bSubscript
  | op=(PLUS | MINUS) bExpr                                           # bUnarySign
  | bExpr op=(STAR | SLASH | PERCENT) bExpr                           # bMultiplicative
  | bExpr op=(PLUS | MINUS) bExpr                                     # bAdditive
  | op=OPERATOR bExpr                                                 # bPrefixOperator
  | bExpr op=(CONCAT | OPERATOR) bExpr                                # bOtherOperator
  | bExpr comparisonOperator bExpr                                    # bComparison
  | bExpr IS NOT? DISTINCT FROM bExpr                                 # bIsDistinctFrom
  ;

comparisonOperator
  : EQ | NE | BANG_EQ | LT | LE | GT | GE
  ;

inList
  : LPAREN queryBody RPAREN                                           # inSubquery
  | LPAREN expr (COMMA expr)* RPAREN                                  # inExpressions
  ;

primaryExpr
  : literal                                                           # literalExpr
  | constTypeName sconst                                              # typedLiteral
  | functionName sconst                                               # genericTypedLiteral
  | special=(CURRENT_USER | CURRENT_ROLE | USER | SESSION_USER)       # specialValue
  | special=(CURRENT_DATE | CURRENT_TIME | CURRENT_TIMESTAMP | LOCALTIME | LOCALTIMESTAMP
            | CURRENT_CATALOG | CURRENT_SCHEMA) (LPAREN balanced* RPAREN)?
                                                                      # unsupportedSpecialValue
  | CASE operand=expr? caseWhen+ (ELSE elseResult=expr)? END          # caseExpr
  | CAST LPAREN expr AS typeName RPAREN                               # castExpr
  | functionCall                                                      # functionCallExpr
  | qualifiedName                                                     # columnRef
  // One alternative for (a) and (a, b), so that choosing it needs no lookahead past "(";
  // the builder rejects the row constructor (a, b).
  | LPAREN expr (COMMA expr)* RPAREN                                  # parenthesized
  | ROW LPAREN balanced* RPAREN                                       # explicitRow
  | LPAREN queryBody RPAREN                                           # subquery
  | EXISTS LPAREN balanced* RPAREN                                    # exists
  | ARRAY (LBRACKET balanced* RBRACKET | LPAREN balanced* RPAREN)     # arrayConstructor
  | PARAM                                                             # parameter
  ;

caseWhen
  : WHEN condition=expr THEN result=expr
  ;

functionCall
  : functionName LPAREN (STAR | quantifier=(ALL | DISTINCT)? functionArgument (COMMA functionArgument)*)? RPAREN
    (OVER balanced)?
  ;

functionName
  : typeFunctionName
  | colId (DOT colLabel)+
  ;

functionArgument
  : (colLabel (EQUALS_GREATER | COLON_EQUALS))? expr
  ;

literal
  : INTEGER_LITERAL
  | NUMERIC_LITERAL
  | STRING
  | DOLLAR_STRING
  | TRUE_P
  | FALSE_P
  | NULL_P
  | ESCAPE_STRING
  | BIT_STRING
  | NATIONAL_STRING
  | UNICODE_STRING
  ;

// The string forms PostgreSQL accepts after a type name (its Sconst).
sconst
  : STRING
  | DOLLAR_STRING
  | ESCAPE_STRING
  | UNICODE_STRING
  ;

// A SELECT (or VALUES, WITH, TABLE) inside parentheses: never supported, skipped whole.
queryBody
  : (SELECT | VALUES | WITH | TABLE) balanced*
  ;

// Any tokens with balanced brackets, up to the end of the statement at most.
balanced
  : LPAREN balanced* RPAREN
  | LBRACKET balanced* RBRACKET
  | ~(LPAREN | RPAREN | LBRACKET | RBRACKET | SEMI)
  ;

// ---------------------------------------------------------------------------------------------
// Types

typeName
  : simpleTypeName arrayBounds?
  ;

arrayBounds
  : (LBRACKET INTEGER_LITERAL? RBRACKET)+
  | ARRAY (LBRACKET INTEGER_LITERAL RBRACKET)?
  ;

simpleTypeName
  : constTypeName
  | typeFunctionName (DOT colLabel)* typeModifiers?
  ;

// The types spelled with keywords; they can also introduce a typed literal (INTEGER '5').
constTypeName
  : BOOLEAN                                                           # booleanType
  | SMALLINT                                                          # smallintType
  | (INT | INTEGER)                                                   # integerType
  | BIGINT                                                            # bigintType
  | REAL                                                              # realType
  | FLOAT typeModifiers?                                              # floatType
  | DOUBLE PRECISION                                                  # doubleType
  | (DECIMAL | DEC | NUMERIC) typeModifiers?                          # numericType
  | (CHARACTER | CHAR | NCHAR | NATIONAL (CHARACTER | CHAR)) VARYING? typeModifiers?
                                                                      # characterType
  | VARCHAR typeModifiers?                                            # varcharType
  | BIT VARYING? typeModifiers?                                       # bitType
  | TIMESTAMP typeModifiers? timeZone?                                # timestampType
  | TIME typeModifiers? timeZone?                                     # timeType
  | INTERVAL typeModifiers?                                           # intervalType
  ;

timeZone
  : WITH TIME ZONE
  | WITHOUT TIME ZONE
  ;

typeModifiers
  : LPAREN expr (COMMA expr)* RPAREN
  ;

// ---------------------------------------------------------------------------------------------
// Names (PostgreSQL's keyword categories decide where a keyword may still be a name)

qualifiedName
  : colId (DOT colLabel)*
  ;

anyName
  : colId (DOT colLabel)*
  ;

// Column, table and policy names.
colId
  : identifier
  | unreservedKeyword
  | colNameKeyword
  ;

// Function and type names.
typeFunctionName
  : identifier
  | unreservedKeyword
  | typeFuncNameKeyword
  ;

// Role names.
nonReservedWord
  : identifier
  | unreservedKeyword
  | colNameKeyword
  | typeFuncNameKeyword
  ;

// After a dot any word is a name (t.select is a column called "select").
colLabel
  : identifier
  | unreservedKeyword
  | colNameKeyword
  | typeFuncNameKeyword
  | reservedKeyword
  ;

identifier
  : IDENT
  | QUOTED_IDENT
  | UNICODE_QUOTED_IDENT
  ;

unreservedKeyword
  : ALTER | AT | CASCADE | DELETE | DISABLE | DOUBLE | DROP | ENABLE | ESCAPE | FORCE
  | GENERATED | IF | INSERT | KEY | LEVEL | NO | OVER | POLICY | RENAME | RESTRICT | SECURITY
  | UNKNOWN | UPDATE | VARYING | WITHOUT | ZONE
  ;

colNameKeyword
  : BETWEEN | BIGINT | BIT | BOOLEAN | CHAR | CHARACTER | DEC | DECIMAL | EXISTS | FLOAT | INT
  | INTEGER | INTERVAL | NATIONAL | NCHAR | NUMERIC | PRECISION | REAL | ROW | SMALLINT | TIME
  | TIMESTAMP | VALUES | VARCHAR
  ;

typeFuncNameKeyword
  : CURRENT_SCHEMA | ILIKE | IS | ISNULL | LIKE | NOTNULL | SIMILAR
  ;

reservedKeyword
  : ALL | AND | ANY | ARRAY | AS | ASYMMETRIC | CASE | CAST | CHECK | COLLATE | CONSTRAINT
  | CREATE | CURRENT_CATALOG | CURRENT_DATE | CURRENT_ROLE | CURRENT_TIME | CURRENT_TIMESTAMP
  | CURRENT_USER | DEFAULT | DISTINCT | ELSE | END | FALSE_P | FOR | FOREIGN | FROM | IN
  | LOCALTIME | LOCALTIMESTAMP | NOT | NULL_P | ON | ONLY | OR | PRIMARY | REFERENCES | SELECT
  | SESSION_USER | SOME | SYMMETRIC | TABLE | THEN | TO | TRUE_P | UNIQUE | USER | USING | WHEN
  | WITH | RESERVED_KEYWORD
  ;
