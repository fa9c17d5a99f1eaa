// Offer only the subcategories of the chosen category (the server checks the pair anyway).
document.addEventListener("DOMContentLoaded", () => {
  const category = document.getElementById("id_category");
  const subcategory = document.getElementById("id_subcategory");
  if (!category || !subcategory) return;

  function offerMatchingSubcategories() {
    for (const option of subcategory.options) {
      if (!option.value) continue;
      const fits = option.dataset.category === category.value;
      option.hidden = !fits;
      option.disabled = !fits;
    }
    const chosen = subcategory.selectedOptions[0];
    if (chosen && chosen.disabled) subcategory.value = "";
  }

  category.addEventListener("change", offerMatchingSubcategories);
  offerMatchingSubcategories();
});
