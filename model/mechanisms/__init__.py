"""One module per ODD submodel, run by ``LinliModel.step`` in the ODD's order."""
