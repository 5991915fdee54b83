"""Operations models."""
