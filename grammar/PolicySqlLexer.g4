// The tokens of WeftKit Policy's SQL dialect: a subset of PostgreSQL 15, lexed the way
// PostgreSQL's scan.l lexes it (keywords case-insensitive, nested block comments, operator
// runs split by PostgreSQL's rules, '' inside strings, string continuation across newlines).
//
// Three tokens need more than a regular expression and finish in small actions below:
// operators (a run of operator characters is cut before "--" or "/*", and trailing + and -
// are given back unless the run contains ~ ! @ # % ^ & | ` ?), nested block comments, and
// dollar-quoted strings ($tag$ ... $tag$).
//
// Tokens that are errors (unterminated strings, junk after numbers, stray characters) are
// still tokens: the parser never accepts them, and the front end reports them with
// PostgreSQL's wording at their position.
lexer grammar PolicySqlLexer;

tokens {
  UNTERMINATED_BLOCK_COMMENT,
  UNTERMINATED_DOLLAR_STRING
}

@lexer::header {
#include "compiler/sql/operator_lexing.h"
}

@lexer::members {
  // Finishes a run of operator characters: keeps the operator PostgreSQL would take, gives
  // the rest back to the input, and gives single operators their own token types.
  void finish_operator() {
    std::string text = getText();
    if (text.rfind("/*", 0) == 0) {
      // "/**/+" and the like: the run starts a comment, not an operator.
      give_back_to(2);
      finish_block_comment();
      return;
    }
    size_t length = weftkit::policy::sql::pg_operator_length(text);
    if (length < text.size()) give_back_to(length);
    setType(operator_token_type(text.substr(0, length)));
  }

  // Finishes a block comment whose "/*" was matched; PostgreSQL's block comments nest.
  void finish_block_comment() {
    size_t depth = 1;
    while (depth > 0) {
      size_t current = _input->LA(1);
      if (current == antlr4::Token::EOF) {
        setType(UNTERMINATED_BLOCK_COMMENT);
        return;
      }
      size_t next = _input->LA(2);
      if (current == '/' && next == '*') {
        ++depth;
        consume_chars(2);
      } else if (current == '*' && next == '/') {
        --depth;
        consume_chars(2);
      } else {
        consume_chars(1);
      }
    }
    skip();
  }

  // Finishes a dollar-quoted string whose opening delimiter (two dollar signs around an
  // optional tag) was matched; it ends at the same delimiter.
  void finish_dollar_string() {
    std::string delimiter = getText();
    while (true) {
      if (_input->LA(1) == antlr4::Token::EOF) {
        setType(UNTERMINATED_DOLLAR_STRING);
        return;
      }
      bool closes = true;
      for (size_t i = 0; i < delimiter.size(); ++i) {
        if (_input->LA(static_cast<ssize_t>(i + 1)) != static_cast<unsigned char>(delimiter[i])) {
          closes = false;
          break;
        }
      }
      if (closes) {
        consume_chars(delimiter.size());
        return;
      }
      consume_chars(1);
    }
  }

 private:
  void consume_chars(size_t count) {
    for (size_t i = 0; i < count; ++i) getInterpreter<antlr4::atn::LexerATNSimulator>()->consume(_input);
  }

  // Shortens the current token to its first `length` characters (none of them a newline).
  void give_back_to(size_t length) {
    _input->seek(tokenStartCharIndex + length);
    setCharPositionInLine(tokenStartCharPositionInLine + length);
  }

  size_t operator_token_type(const std::string& op) const {
    if (op == "+") return PLUS;
    if (op == "-") return MINUS;
    if (op == "*") return STAR;
    if (op == "/") return SLASH;
    if (op == "%") return PERCENT;
    if (op == "<") return LT;
    if (op == ">") return GT;
    if (op == "=") return EQ;
    if (op == "<=") return LE;
    if (op == ">=") return GE;
    if (op == "<>") return NE;
    if (op == "!=") return BANG_EQ;
    if (op == "=>") return EQUALS_GREATER;
    if (op == "||") return CONCAT;
    return OPERATOR;
  }

 public:
}

// ---------------------------------------------------------------------------------------------
// Layout

WHITESPACE : [ \t\n\r\f\u000B]+ -> skip ;
LINE_COMMENT : '--' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' { finish_block_comment(); } ;

// ---------------------------------------------------------------------------------------------
// Keywords. Each is listed before IDENT so that it wins over an identifier of the same text.
// Which of them may still serve as names follows PostgreSQL's keyword categories (see the
// colId, typeFunctionName and colLabel rules of the parser).

ALL : A L L ;
ALTER : A L T E R ;
AND : A N D ;
ANY : A N Y ;
ARRAY : A R R A Y ;
AS : A S ;
ASYMMETRIC : A S Y M M E T R I C ;
AT : A T ;
BETWEEN : B E T W E E N ;
BIGINT : B I G I N T ;
BIT : B I T ;
BOOLEAN : B O O L E A N ;
CASCADE : C A S C A D E ;
CASE : C A S E ;
CAST : C A S T ;
CHAR : C H A R ;
CHARACTER : C H A R A C T E R ;
CHECK : C H E C K ;
COLLATE : C O L L A T E ;
CONSTRAINT : C O N S T R A I N T ;
CREATE : C R E A T E ;
CURRENT_CATALOG : C U R R E N T '_' C A T A L O G ;
CURRENT_DATE : C U R R E N T '_' D A T E ;
CURRENT_ROLE : C U R R E N T '_' R O L E ;
CURRENT_SCHEMA : C U R R E N T '_' S C H E M A ;
CURRENT_TIME : C U R R E N T '_' T I M E ;
CURRENT_TIMESTAMP : C U R R E N T '_' T I M E S T A M P ;
CURRENT_USER : C U R R E N T '_' U S E R ;
DEC : D E C ;
DECIMAL : D E C I M A L ;
DEFAULT : D E F A U L T ;
DELETE : D E L E T E ;
DISABLE : D I S A B L E ;
DISTINCT : D I S T I N C T ;
DOUBLE : D O U B L E ;
DROP : D R O P ;
ELSE : E L S E ;
ENABLE : E N A B L E ;
END : E N D ;
ESCAPE : E S C A P E ;
EXISTS : E X I S T S ;
FALSE_P : F A L S E ;
FLOAT : F L O A T ;
FOR : F O R ;
FORCE : F O R C E ;
FOREIGN : F O R E I G N ;
FROM : F R O M ;
GENERATED : G E N E R A T E D ;
IF : I F ;
ILIKE : I L I K E ;
IN : I N ;
INSERT : I N S E R T ;
INT : I N T ;
INTEGER : I N T E G E R ;
INTERVAL : I N T E R V A L ;
IS : I S ;
ISNULL : I S N U L L ;
KEY : K E Y ;
LEVEL : L E V E L ;
LIKE : L I K E ;
LOCALTIME : L O C A L T I M E ;
LOCALTIMESTAMP : L O C A L T I M E S T A M P ;
NATIONAL : N A T I O N A L ;
NCHAR : N C H A R ;
NO : N O ;
NOT : N O T ;
NOTNULL : N O T N U L L ;
NULL_P : N U L L ;
NUMERIC : N U M E R I C ;
ON : O N ;
ONLY : O N L Y ;
OR : O R ;
OVER : O V E R ;
POLICY : P O L I C Y ;
PRECISION : P R E C I S I O N ;
PRIMARY : P R I M A R Y ;
REAL : R E A L ;
REFERENCES : R E F E R E N C E S ;
RENAME : R E N A M E ;
RESTRICT : R E S T R I C T ;
ROW : R O W ;
SECURITY : S E C U R I T Y ;
SELECT : S E L E C T ;
SESSION_USER : S E S S I O N '_' U S E R ;
SIMILAR : S I M I L A R ;
SMALLINT : S M A L L I N T ;
SOME : S O M E ;
SYMMETRIC : S Y M M E T R I C ;
TABLE : T A B L E ;
THEN : T H E N ;
TIME : T I M E ;
TIMESTAMP : T I M E S T A M P ;
TO : T O ;
TRUE_P : T R U E ;
UNIQUE : U N I Q U E ;
UNKNOWN : U N K N O W N ;
UPDATE : U P D A T E ;
USER : U S E R ;
USING : U S I N G ;
VALUES : V A L U E S ;
VARCHAR : V A R C H A R ;
VARYING : V A R Y I N G ;
WHEN : W H E N ;
WITH : W I T H ;
WITHOUT : W I T H O U T ;
ZONE : Z O N E ;

// PostgreSQL's other reserved words: never names, never part of this dialect. Having them as
// one token keeps `where` or `order` from being taken for a column, as PostgreSQL does.
RESERVED_KEYWORD
  : A N A L Y S E | A N A L Y Z E | A S C | B O T H | C O L U M N | D E F E R R A B L E
  | D E S C | D O | E X C E P T | F E T C H | G R A N T | G R O U P | H A V I N G
  | I N I T I A L L Y | I N T E R S E C T | I N T O | L A T E R A L | L E A D I N G | L I M I T
  | O F F S E T | O R D E R | P L A C I N G | R E T U R N I N G | T R A I L I N G | U N I O N
  | V A R I A D I C | W H E R E | W I N D O W
  ;

// ---------------------------------------------------------------------------------------------
// Literals

INTEGER_LITERAL : DIGIT+ ;
NUMERIC_LITERAL
  : DIGIT+ '.' DIGIT* EXPONENT?
  | '.' DIGIT+ EXPONENT?
  | DIGIT+ EXPONENT
  ;
// PostgreSQL 15: "trailing junk after numeric literal" (123abc, 1.5e, 1e+).
NUMBER_WITH_JUNK
  : (DIGIT+ | DIGIT+ '.' DIGIT* | '.' DIGIT+) EXPONENT? IDENT_START
  | (DIGIT+ | DIGIT+ '.' DIGIT* | '.' DIGIT+) [eE] [+-]
  ;

// A standard string: '' is a quote; strings separated only by whitespace that includes a
// newline are one string ('a'\n'b' is 'ab'), as the SQL standard says.
STRING : QUOTED_SEGMENT (CONTINUATION QUOTED_SEGMENT)* ;
UNTERMINATED_STRING : '\'' ( ~'\'' | '\'\'' )* ;

ESCAPE_STRING : [eE] '\'' ( ~['\\] | '\'\'' | '\\' . )* '\'' ;
BIT_STRING : [bBxX] '\'' ~'\''* '\'' ;
NATIONAL_STRING : [nN] QUOTED_SEGMENT ;
UNICODE_STRING : [uU] '&' QUOTED_SEGMENT ;

DOLLAR_STRING : '$' (DOLLAR_TAG_START DOLLAR_TAG_CONT*)? '$' { finish_dollar_string(); } ;
PARAM : '$' DIGIT+ ;

// ---------------------------------------------------------------------------------------------
// Names

IDENT : IDENT_START IDENT_CONT* ;
QUOTED_IDENT : '"' ( ~'"' | '""' )* '"' ;
UNTERMINATED_QUOTED_IDENT : '"' ( ~'"' | '""' )* ;
UNICODE_QUOTED_IDENT : [uU] '&' '"' ( ~'"' | '""' )* '"' ;

// ---------------------------------------------------------------------------------------------
// Punctuation and operators

LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA : ',' ;
SEMI : ';' ;
DOT : '.' ;
TYPECAST : '::' ;
COLON_EQUALS : ':=' ;
COLON : ':' ;

EQ : '=' ;
NE : '<>' ;
BANG_EQ : '!=' ;
LT : '<' ;
LE : '<=' ;
GT : '>' ;
GE : '>=' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
PERCENT : '%' ;
CONCAT : '||' ;
EQUALS_GREATER : '=>' ;
// Any other run of operator characters; finish_operator() cuts it the way PostgreSQL does
// and turns it into one of the tokens above when that is what remains.
OPERATOR : OP_CHAR+ { finish_operator(); } ;

// Anything else (a backslash, a brace, ...): the parser reports it as a syntax error.
ERROR_CHAR : . ;

// ---------------------------------------------------------------------------------------------

fragment DIGIT : [0-9] ;
fragment EXPONENT : [eE] [+-]? DIGIT+ ;
fragment IDENT_START : [a-zA-Z_] | ~[\u0000-\u007F] ;
fragment IDENT_CONT : [a-zA-Z_0-9$] | ~[\u0000-\u007F] ;
fragment DOLLAR_TAG_START : [a-zA-Z_] | ~[\u0000-\u007F] ;
fragment DOLLAR_TAG_CONT : [a-zA-Z_0-9] | ~[\u0000-\u007F] ;
fragment OP_CHAR : [+\-*/<>=~!@#%^&|`?] ;
fragment QUOTED_SEGMENT : '\'' ( ~'\'' | '\'\'' )* '\'' ;
// Between two segments of one string: blanks or -- comments, at least one newline.
fragment CONTINUATION
  : [ \t\f]* ( '--' ~[\r\n]* )? [\r\n] ( [ \t\r\n\f] | '--' ~[\r\n]* [\r\n] )*
  ;

fragment A : [aA] ;
fragment B : [bB] ;
fragment C : [cC] ;
fragment D : [dD] ;
fragment E : [eE] ;
fragment F : [fF] ;
fragment G : [gG] ;
fragment H : [hH] ;
fragment I : [iI] ;
fragment J : [jJ] ;
fragment K : [kK] ;
fragment L : [lL] ;
fragment M : [mM] ;
fragment N : [nN] ;
fragment O : [oO] ;
fragment P : [pP] ;
fragment Q : [qQ] ;
fragment R : [rR] ;
fragment S : [sS] ;
fragment T : [tT] ;
fragment U : [uU] ;
fragment V : [vV] ;
fragment W : [wW] ;
fragment X : [xX] ;
fragment Y : [yY] ;
fragment Z : [zZ] ;
