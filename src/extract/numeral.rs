//! Arabic and Chinese numerals (stub).
